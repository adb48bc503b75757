# Turns a text file into a C string constant: cmake -DIN=file -DOUT=file.c [-DNAME=symbol] -P embed.cmake
# NAME defaults to hr_schema_sql; the length is NAME_len (CMakeLists.txt: hr_embed).
if(NOT NAME)
  set(NAME hr_schema_sql)
endif()
get_filename_component(from ${IN} NAME)
file(READ ${IN} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUT} "/* generated from ${from}; do not edit */\n#include <stddef.h>\nconst char ${NAME}[] = {${bytes} 0x00};\nconst size_t ${NAME}_len = sizeof(${NAME}) - 1;\n")
