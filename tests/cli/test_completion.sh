#!/usr/bin/env bash
# Shell completion: `helmrec completion bash` sourced into bash, driven with
# COMP_WORDS/COMP_CWORD as bash does on <TAB>; candidates for commands,
# flags, enumerated values, files, and namespaces, releases and revisions
# from a test index opened read-only (and never created).  zsh and fish
# scripts are loaded in those shells when they are installed.
. "$(dirname "$0")/lib.sh"
BINABS=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
mkdir -p "$TMP/bin"
ln -s "$BINABS" "$TMP/bin/helmrec"
"$BIN" scan testdata/corpus/dumps/all-secrets-configmaps.yaml --db "$TMP/idx.db" >/dev/null 2>&1
"$BIN" completion bash >"$TMP/helmrec.bash"
expect_status "completion bash" 0 "$BIN" completion bash
expect_status "completion without a shell" 2 "$BIN" completion
expect_status "completion of an unknown shell" 2 "$BIN" completion tcsh

# comp WORDS...: the last word is the one being completed; prints COMPREPLY, one a line.
comp() {
	(cd "$TMP" && PATH="$TMP/bin:$PATH" bash -c '
		. ./helmrec.bash
		COMP_WORDS=(helmrec "$@"); COMP_CWORD=$#
		_helmrec
		printf "%s\n" "${COMPREPLY[@]}"' comp "$@")
}
# expect NAME "EXPECTED (space-separated, sorted)" WORDS...
expect() {
	local name=$1 want=$2 got
	shift 2
	got=$(comp "$@" | sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$want" ]; then PASS=$((PASS + 1)); else echo "FAIL $name: got [$got], wanted [$want]"; FAIL=$((FAIL + 1)); fi
}
cd "$TMP" >/dev/null || exit 1
export HELMREC_DB=idx.db
expect "commands by prefix" "hist history" hi
expect "alias and command" "list ls" l
expect "help CMD" "status" help sta
expect "flags of a command" "--include-deleted" history --i
expect "global flags too" "--helm-compat" history --helm
expect "-o values" "json table yaml" history -o ""
expect "-o values of decode" "pretty" decode -o p
expect "--driver values" "configmap memory secret sql" export --driver ""
expect "--helm-compat values" "3 4" list --helm-compat ""
expect "namespaces after -n" "staging stuck" list -n st
expect "releases in a namespace" "fresh hung" history -n stuck ""
expect "release names by prefix" "cache cfg" status c
expect "revisions after --revision" "4 5 6" status cache --revision ""
expect "revisions as positionals" "4 5 6" diff -n pruned cache 4 ""
expect "get's first word" "manifest metadata" get m
expect "get's release" "hung" get values -n stuck h
expect "--db names the index" "fresh" --db idx.db history -n stuck f
touch "$TMP/some-input.yaml"
expect "files for input flags" "some-input.yaml" list --from some-in
expect "files for scan inputs" "some-input.yaml" scan some-in
expect "no index: no candidates" "" --db none.db history ""
ok "no index is created by completion" test ! -e "$TMP/none.db"
unset HELMREC_DB
expect "default index absent: nothing" "" history ""
ok "./helmrec.db not created" test ! -e "$TMP/helmrec.db"
cd - >/dev/null || exit 1

# The zsh and fish scripts, in those shells (scripts/setup.sh installs them;
# a missing shell is a loud skip, and the whole test exits 77 when both are).
# zsh: the script is loaded with compinit, then _helmrec is called as the
# completion system would (words, CURRENT) with compadd recording what it
# is offered.  fish: `complete -C` asks fish's own completion engine.
skipped=0
export HELMREC_DB=idx.db
cd "$TMP" >/dev/null || exit 1
if command -v zsh >/dev/null; then
	"$BINABS" completion zsh >"$TMP/_helmrec"
	ok "zsh script parses" zsh -n "$TMP/_helmrec"
	ok "zsh script loads" zsh -fc "autoload -U compinit && compinit -u -D && source $TMP/_helmrec"
	# zcomp WORDS...: what _helmrec offers for the last word.
	zcomp() {
		PATH="$TMP/bin:$PATH" zsh -fc '
			autoload -U compinit && compinit -u -D
			source ./_helmrec
			compadd() { [[ $1 == -a ]] && print -l -- "${(@P)2}"; }
			_files() { print -- :files; }
			words=(helmrec "$@"); CURRENT=${#words}
			_helmrec' zcomp "$@" | sort | tr '\n' ' ' | sed 's/ $//'
	}
	ok "zsh completes a command name" test "$(zcomp hi)" = "hist history"
	ok "zsh completes a release name" test "$(zcomp history -n stuck "")" = "fresh hung"
	ok "zsh completes -o values" test "$(zcomp status -o "")" = "json table yaml"
else
	echo "SKIP: zsh not installed (scripts/setup.sh installs it): zsh completion untested"
	skipped=$((skipped + 1))
fi
if command -v fish >/dev/null; then
	"$BINABS" completion fish >"$TMP/helmrec.fish"
	# fcomp LINE: fish's candidates for the command line LINE (first column).
	fcomp() {
		PATH="$TMP/bin:$PATH" fish --no-config -c "source $TMP/helmrec.fish; complete -C'$1'" |
			cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'
	}
	ok "fish script loads" fish --no-config -c "source $TMP/helmrec.fish"
	ok "fish completes a command name" test "$(fcomp 'helmrec hi')" = "hist history"
	ok "fish completes a release name" test "$(fcomp 'helmrec history -n stuck ')" = "fresh hung"
	ok "fish completes --color values" test "$(fcomp 'helmrec list --color ')" = "always auto never"
else
	echo "SKIP: fish not installed (scripts/setup.sh installs it): fish completion untested"
	skipped=$((skipped + 1))
fi
cd - >/dev/null || exit 1
finish || exit 1
[ "$skipped" -lt 2 ] || { echo "SKIP: neither zsh nor fish installed"; exit 77; }
