#!/bin/sh
# Keeps the examples of a document and their tests in step.  In the
# document, an example is marked by a line
#     <!-- example: NAME -->
# followed by a ```lua block (the program), then optionally a line
# starting "Output:" and a ``` block (its standard output), and a line
# starting "Standard error" and a ``` block (its standard error; "(exit
# status N)" on that line gives the status).  The test is DIR/NAME.coro
# with NAME.out, NAME.err and NAME.status, run by run-script-tests.sh.
#
# usage: check-doc-examples.sh DOC DIR           compare, exit 1 on a difference
#        check-doc-examples.sh DOC DIR --write   (re)write the test files
set -u
doc=$1
dir=$2
mode=${3:-check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Splits the document into $tmp/NAME.coro, .out, .err, .status.
awk -v out="$tmp" '
    /^<!-- example: [A-Za-z0-9_]+ -->$/ { name = $3; want = "coro"; next }
    name == "" { next }
    /^Output:/ { want = "out"; next }
    /^Standard error/ {
        want = "err"
        if (match($0, /exit status [0-9]+/)) {
            st = substr($0, RSTART + 12, RLENGTH - 12)
            print st > (out "/" name ".status")
            close(out "/" name ".status")
        }
        next
    }
    /^```/ {
        if (inblock) {
            inblock = 0
            close(file)
            if (want == "err" || want == "") name = ""
            want = ""
        } else if (want != "") {
            inblock = 1
            file = out "/" name "." want
            printf "" > file
        }
        next
    }
    inblock { print > file }
' "$doc"

status=0
for f in "$tmp"/*; do
    [ -e "$f" ] || continue
    base=$(basename "$f")
    if [ "$mode" = "--write" ]; then
        cp "$f" "$dir/$base"
    elif ! cmp -s "$f" "$dir/$base"; then
        echo "$doc and $dir/$base differ:"
        diff -u "$dir/$base" "$f" | sed -n '3,20p' | sed 's/^/    /'
        status=1
    fi
done
if [ "$mode" != "--write" ]; then
    # a test left over from an example that is gone
    for f in "$dir"/doc_*.coro; do
        [ -e "$f" ] || continue
        [ -e "$tmp/$(basename "$f")" ] || { echo "$f: no such example in $doc"; status=1; }
    done
    [ $status -eq 0 ] && echo "doc examples ($doc): in step with $dir"
fi
exit $status
