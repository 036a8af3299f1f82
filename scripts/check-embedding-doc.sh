#!/bin/sh
# Checks docs/embedding.md against the code it documents, so that the
# tutorial cannot drift from programs that compile and run:
#  - every ```c block must come right after a line
#    `<!-- quote: examples/embed/NAME.c -->` and be a verbatim excerpt of
#    that file (whole lines, same indentation); the examples themselves
#    are built by `make` and run by the embed test;
#  - every function and macro the header declares as `coro_name(` must be
#    named in the document (its reference section lists them all).
#
# usage: check-embedding-doc.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
doc=$root/docs/embedding.md
[ -f "$doc" ] || { echo "embedding doc: $doc missing"; exit 1; }

awk -v root="$root" '
function slurp(path,    line, text, status) {
    text = ""
    while ((status = (getline line < path)) > 0)
        text = text line "\n"
    close(path)
    if (status < 0)
        return ""
    return text
}
{
    if ($0 == "```c") {
        if (prev !~ /^<!-- quote: [^ ]+ -->$/) {
            printf("docs/embedding.md:%d: a C block without a <!-- quote: FILE --> line before it\n", NR)
            bad++
        }
        file = prev
        sub(/^<!-- quote: /, "", file)
        sub(/ -->$/, "", file)
        start = NR
        block = ""
        inblock = 1
    } else if (inblock && $0 == "```") {
        inblock = 0
        blocks++
        if (file != "") {
            text = slurp(root "/" file)
            if (text == "") {
                printf("docs/embedding.md:%d: cannot read %s\n", start, file)
                bad++
            } else if (index("\n" text, "\n" block) == 0) {
                printf("docs/embedding.md:%d: not a verbatim excerpt of %s\n", start, file)
                bad++
            }
        }
        file = ""
    } else if (inblock) {
        block = block $0 "\n"
    }
    prev = $0
}
END {
    if (inblock) {
        printf("docs/embedding.md:%d: unterminated C block\n", start)
        bad++
    }
    printf("embedding doc: %d quoted blocks, %d problems\n", blocks, bad)
    exit bad > 0
}' "$doc" || fail=1

missing=""
for name in $(grep -oE '\bcoro_[a-z_]+\(' "$root/include/coro.h" | tr -d '(' | sort -u); do
    grep -q "\`$name\`" "$doc" || missing="$missing $name"
done
if [ -n "$missing" ]; then
    echo "embedding doc: not in the reference:$missing"
    fail=1
fi
[ -z "${fail:-}" ]
