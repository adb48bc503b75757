// oracle.go — prints json.Marshal of each input line produced by gen.c (see run.sh).
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

func main() {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for sc.Scan() {
		line := sc.Text()
		tab := strings.IndexByte(line, '\t')
		key := line[:tab]
		var out []byte
		if key[0] == 'F' {
			b, _ := strconv.ParseUint(key[2:], 16, 64)
			out, _ = json.Marshal(math.Float64frombits(b))
		} else {
			h := key[2:]
			if h == "-" {
				h = ""
			}
			s, _ := hex.DecodeString(h)
			out, _ = json.Marshal(string(s))
		}
		fmt.Fprintf(w, "%s\t%s\n", key, out)
	}
}
