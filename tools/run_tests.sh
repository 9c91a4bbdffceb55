#!/bin/sh
# Every test, as a machine that never ran the project sees it (what `make test` runs).
#
#   sh tools/run_tests.sh [pytest arguments...]     (default: tests and every committed notebook)
#
# matplotlib's font list (MPLCONFIGDIR) and lossviz's extracted CJK faces (XDG_CACHE_HOME) start
# empty in a temporary folder that is removed afterwards: a cache left by an earlier run (a font
# list older than the system fonts, a face extracted by an older lossviz) cannot hide a failure.
# pip's cache stays where it is (PIP_CACHE_DIR): it only holds downloaded files, checked by hash.
# The Colab-like environment (.venv-colab or $LOSSVIZ_COLAB_ENV) is reused when its recorded
# package list is unchanged; tools/colab_sim.py rebuilds it otherwise (see README).
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
fresh=$(mktemp -d "${TMPDIR:-/tmp}/lossviz-test.XXXXXX")
trap 'rm -rf "$fresh"' EXIT INT TERM
: "${PIP_CACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/pip}"
export PIP_CACHE_DIR
export MPLCONFIGDIR="$fresh/mplconfig" XDG_CACHE_HOME="$fresh/cache"
mkdir -p "$MPLCONFIGDIR" "$XDG_CACHE_HOME"
"$BIN/ruff" check lossviz tests tools
if [ "$#" -eq 0 ]; then
    set -- tests notebooks
fi
"$BIN/python" -m pytest "$@" @tests/nbval.args
