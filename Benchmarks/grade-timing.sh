#!/usr/bin/env bash
# How long grading takes on this machine (issue 9's targets: cold ≤ 8 min, warm ≤ 90 s per submission):
#   cold    the reference submission with no grading workspace yet (.build-grader/workspace is moved aside:
#           SwiftPM's dependency checkouts and every module are built from scratch);
#   warm    the same submission again (the build has nothing to do; every check and scenario runs again);
#   cohort  a cohort of 10 submissions alternating the reference and the skeleton kit, in the one warm workspace:
#           every submission differs from the one before it in every exercise and in the capstone, so each one
#           recompiles all of them, like a cohort of different trainees does.
# The `grade` tool is built first (not timed). Prints a table; the grader's own per-phase timings are in each
# results.json (`timings`).
#
# Measured 2026-12-07 on 2 cores (a CI rehearsal running alongside), GRADE_JOBS=2: warm 74.9 s (200/200); cohort
# 672.6 s for 10 (67 s each: build 36-46 s after each switch, checks 5-15 s, capstone 5-39 s). Cold, from the CI
# rehearsal's quick start 1 on a fresh clone (--jobs 1): 5 min 32 s, of which 229 s building the workspace.
#
# Usage: Benchmarks/grade-timing.sh [cold|warm|cohort ...]   (default: all three, in that order)
# Environment: GRADE_JOBS (exercises and scenarios run at the same time, default: the number of CPUs), BENCH_DIR (default /tmp/mokolab-grade-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
phases=("$@")
[ ${#phases[@]} -gt 0 ] || phases=(cold warm cohort)
jobs=${GRADE_JOBS:-$(nproc)}
bench=${BENCH_DIR:-/tmp/mokolab-grade-bench}
mkdir -p "$bench"

if ! swift build --product grade >"$bench/build.log" 2>&1; then
    echo "grade-timing: building grade failed (see $bench/build.log)" >&2
    exit 1
fi
grade="$(swift build --show-bin-path)/grade"

rows=()
timed() {  # timed <label> <command...>: runs the command, keeps its output in $bench/<label>.log
    local label=$1
    shift
    local start end
    start=$(date +%s.%N)
    "$@" >"$bench/$label.log" 2>&1 || { echo "grade-timing: $label failed (see $bench/$label.log)" >&2; exit 1; }
    end=$(date +%s.%N)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    rows+=("$(printf '%-8s %10s s   %s' "$label" "$seconds" "$(grep -E '^score ' "$bench/$label.log" | tail -1)")")
    echo "grade-timing: $label ${seconds} s"
}

for phase in "${phases[@]}"; do
    case "$phase" in
    cold)
        if [ -d .build-grader/workspace ]; then
            rm -rf "$bench/workspace-aside"
            mv .build-grader/workspace "$bench/workspace-aside"
        fi
        timed cold "$grade" grader/samples/reference --jobs "$jobs" --out "$bench/cold"
        ;;
    warm)
        timed warm "$grade" grader/samples/reference --jobs "$jobs" --out "$bench/warm"
        ;;
    cohort)
        rm -rf "$bench/cohort"
        for i in $(seq -w 1 10); do
            mkdir -p "$bench/cohort/trainee-$i"
            if [ $((10#$i % 2)) -eq 1 ]; then kind=reference; else kind=skeleton; fi
            echo "generate: $kind" >"$bench/cohort/trainee-$i/sample.yaml"
        done
        timed cohort "$grade" "$bench/cohort" --jobs "$jobs" --out "$bench/cohort-out"
        grep -E '^cohort:' "$bench/cohort.log" || true
        ;;
    *)
        echo "usage: $0 [cold|warm|cohort ...]" >&2
        exit 64
        ;;
    esac
done

echo
echo "phase        wall        result ($(nproc) cores, --jobs $jobs)"
printf '%s\n' "${rows[@]}"
