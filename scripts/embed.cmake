# Turns a text file into a C string constant: cmake -DIN=file -DOUT=file.c -P embed.cmake
file(READ ${IN} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUT} "/* generated from schema/index.sql; do not edit */\n#include <stddef.h>\nconst char hr_schema_sql[] = {${bytes} 0x00};\nconst size_t hr_schema_sql_len = sizeof(hr_schema_sql) - 1;\n")
