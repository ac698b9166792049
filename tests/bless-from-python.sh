#!/usr/bin/env bash
# Write the expected output of golden test programs from CPython, for authoring new tests.
#
#   tests/bless-from-python.sh tests/programs/strings/split.toy [MORE.toy ...]
#
# For each NAME.toy it runs `python3 NAME.toy` the way tests/golden.rs does (in the program's
# folder, stdin from NAME.in if present, no extra arguments) and writes:
#   NAME.out   python3's stdout
#   NAME.err   python3's stderr, when python3 exits non-zero and wrote to stderr (otherwise
#              NAME.err is removed); file paths are shortened to "NAME.toy" and CPython's
#              ^^^^/~~~~ caret lines are dropped, since toy prints neither; check it against
#              toy's format by hand
#   NAME.code  the exit code, unless the harness's default already says it (1 with a NAME.err,
#              0 without); otherwise NAME.code is removed
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 PROGRAM.toy..." >&2
    exit 2
fi

for program in "$@"; do
    case "$program" in
        *.toy) ;;
        *) echo "$program: not a .toy file" >&2; exit 2 ;;
    esac
    dir=$(cd "$(dirname "$program")" && pwd)
    file=$(basename "$program")
    base="$dir/${file%.toy}"
    stdin=/dev/null
    [ -f "$base.in" ] && stdin="$base.in"

    code=0
    (cd "$dir" && TOY_TEST=1 PYTHONIOENCODING=utf-8 PYTHONDONTWRITEBYTECODE=1 \
        python3 "$file" <"$stdin" >"$base.out" 2>"$base.err.tmp") || code=$?

    if [ "$code" -ne 0 ] && [ -s "$base.err.tmp" ]; then
        # CPython names the script by its absolute path; toy by the name it was given.
        sed -e "s|File \"$dir/$file\"|File \"$file\"|" \
            -e '/^[[:space:]]*[~^]\{1,\}[[:space:]]*$/d' \
            "$base.err.tmp" >"$base.err"
        default_code=1
        echo "$program: exit $code, wrote ${file%.toy}.out and ${file%.toy}.err (check .err by hand)"
    else
        rm -f "$base.err"
        default_code=0
        if [ -s "$base.err.tmp" ]; then
            echo "$program: warning: python3 exited 0 but wrote to stderr:" >&2
            cat "$base.err.tmp" >&2
        fi
        echo "$program: exit $code, wrote ${file%.toy}.out"
    fi
    rm -f "$base.err.tmp"

    if [ "$code" -ne "$default_code" ]; then
        echo "$code" >"$base.code"
    else
        rm -f "$base.code"
    fi
done
