#!/bin/sh
# Tests `make install` as a packager and a C programmer use it:
#  1. a staged install (DESTDIR=stage PREFIX=/usr/local) puts the command,
#     the library, the header, the pkg-config file and the man page where
#     they belong;
#  2. pkg-config finds the staged copy (PKG_CONFIG_PATH, with
#     PKG_CONFIG_SYSROOT_DIR for the stage), and an example host
#     (examples/embed/host.c) builds with nothing but
#     `pkg-config --cflags --libs coro`, runs, and prints what the embed
#     test expects;
#  3. an install straight into a PREFIX gives a coro.pc naming that PREFIX;
#  4. the man page renders (man -l, else groff), and has no groff or
#     mandoc warnings when those tools are there; with none of them, a
#     format sanity check.
#
# Run from anywhere; `make test` runs it.  The install always uses the
# default build (build/), even under `make asan`: what is installed is
# what a packager ships, and the host is linked without sanitizers.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc=${CC_HOST:-cc}
fail=0
checks=0

ok() { checks=$((checks + 1)); [ -n "${VERBOSE:-}" ] && echo "ok $1"; return 0; }
bad() { checks=$((checks + 1)); fail=$((fail + 1)); echo "FAIL $1"; return 0; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# A sub-make must not inherit the calling make's variables (BUILD, CC,
# SANFLAGS from `make asan`): make passes them both in MAKEFLAGS and, as
# variables from its command line, in the environment.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES BUILD CC OPT SANFLAGS
mk() { make -s -C "$root" "$@" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; return 1; }; }

# ---- 1. a staged install ------------------------------------------------
stage=$tmp/stage
prefix=/usr/local
if mk install DESTDIR="$stage" PREFIX="$prefix"; then ok "make install DESTDIR"; else bad "make install DESTDIR"; fi
p=$stage$prefix
check "bin/coro is executable" "[ -x '$p/bin/coro' ]"
check "lib/libcoro.a" "[ -f '$p/lib/libcoro.a' ]"
check "include/coro.h" "cmp -s '$p/include/coro.h' '$root/include/coro.h'"
check "lib/pkgconfig/coro.pc" "[ -f '$p/lib/pkgconfig/coro.pc' ]"
check "share/man/man1/coro.1" "[ -f '$p/share/man/man1/coro.1' ]"
check "nothing outside DESTDIR" "[ -z \"\$(find '$stage' -mindepth 1 -maxdepth 1 ! -name usr)\" ]"
check "installed coro runs" "'$p/bin/coro' -e 'print(6 * 7)' | grep -qx 42"
check "installed coro -v" "'$p/bin/coro' -v | grep -q 'Coro [0-9]'"

# ---- 2. a host built with pkg-config alone ---------------------------------
if command -v pkg-config >/dev/null 2>&1; then
    export PKG_CONFIG_PATH="$p/lib/pkgconfig"
    export PKG_CONFIG_SYSROOT_DIR="$stage"
    version=$(sed -n 's/^#define CORO_VERSION "Coro \(.*\)"/\1/p' "$root/include/coro.h")
    check "pkg-config --modversion" "[ \"\$(pkg-config --modversion coro)\" = '$version' ]"
    flags=$(pkg-config --cflags --libs coro)
    check "pkg-config flags name the stage" "echo '$flags' | grep -q -- '-I$p/include' && echo '$flags' | grep -q -- '-L$p/lib'"
    # shellcheck disable=SC2086
    if $cc -std=c11 -o "$tmp/host" "$root/examples/embed/host.c" $flags 2>"$tmp/cc.log"; then
        ok "host.c builds with pkg-config only"
        if (cd "$root" && "$tmp/host" >"$tmp/host.out" 2>&1) &&
            cmp -s "$tmp/host.out" "$root/examples/embed/host.out"; then
            ok "the host runs"
        else
            bad "the host runs (output differs from examples/embed/host.out)"
            diff -u "$root/examples/embed/host.out" "$tmp/host.out" | sed -n '3,20p' | sed 's/^/    /'
        fi
    else
        bad "host.c builds with pkg-config only"
        sed 's/^/    /' "$tmp/cc.log"
    fi
    unset PKG_CONFIG_SYSROOT_DIR

    # ---- 3. an install into a PREFIX ------------------------------------------
    direct=$tmp/prefix
    if mk install PREFIX="$direct"; then ok "make install PREFIX"; else bad "make install PREFIX"; fi
    export PKG_CONFIG_PATH="$direct/lib/pkgconfig"
    check "coro.pc names the PREFIX" "[ \"\$(pkg-config --variable=prefix coro)\" = '$direct' ]"
    flags=$(pkg-config --cflags --libs coro | sed 's/ *$//')
    check "--cflags --libs" "[ '$flags' = '-I$direct/include -L$direct/lib -lcoro -lm' ]"
else
    echo "install test: no pkg-config, skipping the pkg-config checks"
fi

# ---- 4. the man page -----------------------------------------------------------
page=$root/docs/coro.1
check "man page: title and sections" "head -5 '$page' | grep -q '^\\.TH CORO 1' &&
    grep -q '^\\.SH NAME' '$page' && grep -q '^\\.SH SYNOPSIS' '$page' &&
    grep -q '^\\.SH OPTIONS' '$page' && grep -q '^\\.SH ENVIRONMENT' '$page' &&
    grep -q '^\\.SH EXIT STATUS' '$page' && grep -q '^\\.SH EXAMPLES' '$page' &&
    grep -q '^\\.SH SEE ALSO' '$page'"
# Every option the command's usage lists is in the page.
for opt in -e -i -l -v -p --disasm --ast -h; do
    check "man page documents $opt" "grep -q -- '$(echo "$opt" | sed 's/-/\\\\-/g')' '$page'"
done
check "man page: CORO_PATH and CORO_GC_STRESS" "grep -q CORO_PATH '$page' && grep -q CORO_GC_STRESS '$page'"
if command -v man >/dev/null 2>&1; then
    check "man -l renders the installed page" \
        "MANWIDTH=80 man -l '$stage$prefix/share/man/man1/coro.1' 2>/dev/null | grep -q 'EXIT STATUS'"
fi
if command -v groff >/dev/null 2>&1; then
    check "groff: no warnings" "[ -z \"\$(groff -man -Tutf8 -ww -z '$page' 2>&1)\" ]"
fi
if command -v mandoc >/dev/null 2>&1; then
    check "mandoc -T lint" "mandoc -T lint -W warning '$page' >/dev/null 2>&1"
fi

echo "install test: $((checks - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
