#!/usr/bin/env bash
# The edit → result loop of `lab test <n>` against the plain `swift test --filter <id>Tests`, warm, after
# changing one line of the exercise (issue 8's target: ≤ 15 s and faster than the plain command).
#
# Both run in a trainee kit (`lab kit`, every exercise with its checks) so the trainee's situation is measured
# and the lab's own files are never edited: $BENCH_DIR/kit (default /tmp/mokolab-bench), written once and
# kept warm between runs (BENCH_FRESH=1 writes it anew). Each command gets one unmeasured warm-up run (it
# absorbs the manifest re-read when the environment changes between the two commands), then `runs` measured
# runs, each after appending a comment to the first line of one of the exercise's files.
#
# Usage: Benchmarks/lab-test-loop.sh [runs]        (default 3)
# Environment: BENCH_EXERCISE (default 3.4; 1.3 when 3.4 does not exist), BENCH_DIR, BENCH_FRESH,
# BENCH_KIT (measure in this existing kit instead, e.g. the end-to-end test's /tmp/mokolab-e2e/kit),
# BENCH_SCRATCH_PATH (the kit's scratch path, default its .build), LAB_TOOL_SCRATCH_PATH (where `lab` is
# built, default .build-tools).
#
# With every exercise in the kit, the plain command builds all of them: one exercise that does not compile
# makes it fail for every exercise (its log says so), which is what `lab test` avoids.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
number=${BENCH_EXERCISE:-3.4}
id="Exercise${number/./_}"
if [ ! -d "${BENCH_KIT:-.}/Exercises/$id" ]; then number=1.3; id=Exercise1_3; fi
scratch=()
if [ -n "${BENCH_SCRATCH_PATH:-}" ]; then
    scratch=(--scratch-path "$BENCH_SCRATCH_PATH")
    export LAB_SCRATCH_PATH="$BENCH_SCRATCH_PATH"
fi
bench=${BENCH_DIR:-/tmp/mokolab-bench}
kit=${BENCH_KIT:-$bench/kit}
tools=${LAB_TOOL_SCRATCH_PATH:-.build-tools}

LAB_ONLY=lab,LabKit swift build --scratch-path "$tools" --product lab >/dev/null
lab="$(LAB_ONLY=lab,LabKit swift build --scratch-path "$tools" --show-bin-path)/lab"
if [ -z "${BENCH_KIT:-}" ] && { [ "${BENCH_FRESH:-0}" = 1 ] || [ ! -f "$kit/Package.swift" ]; }; then
    rm -rf "$kit"
    mkdir -p "$bench"
    "$lab" kit "$kit" >/dev/null
fi
cd "$kit"
file=$(find "Exercises/$id" -maxdepth 1 -name '*.swift' | sort | head -1)
original=$(mktemp)
cp "$file" "$original"
trap 'cp "$original" "$file"; rm -f "$original"' EXIT

edit() { # one changed line: a comment appended to the file's first line
    cp "$original" "$file"
    sed -i "1s|\$| // bench edit $1 $RANDOM|" "$file"
}

# measure <label> <command...>: one warm-up run, then `runs` measured edit → result loops.
measure() {
    local label=$1
    shift
    local times=() start end code
    "$@" >/dev/null 2>&1 || true
    for i in $(seq 1 "$runs"); do
        edit "$i"
        start=$(date +%s.%N)
        code=0
        "$@" >"$bench/last-${label// /-}.log" 2>&1 || code=$?
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
        echo "  $label run $i: $(printf '%.1f' "${times[-1]}") s (exit $code)" >&2
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '| %-50s | %8.1f s | %s |\n' "$label" "$median" "$(printf '%.1f ' "${times[@]}")"
}

echo "edit → result loop for exercise $number ($id), warm, $(nproc) cores, $runs runs each; kit: $kit" >&2
mkdir -p "$bench"
echo "| command | median | runs (s) |"
echo "|---|---|---|"
measure "lab test $number" "$lab" test "$number"
measure "swift test --filter ${id}Tests" swift test "${scratch[@]}" --filter "${id}Tests"
