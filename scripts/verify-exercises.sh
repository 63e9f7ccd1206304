#!/usr/bin/env bash
# Proves the exercises are sound (author check, run by CI):
#   1. skeletons (`Exercises/`, scratch `.build`): ZERO visible or hidden checks pass;
#   2. solutions (`LAB_SOLUTIONS=1`, scratch `.build-solutions`): EVERY visible and hidden check passes;
#   3. mutants (`grader/mutants/<id>/<name>/`, `LAB_SOLUTIONS=1 LAB_MUTANT=<id>/<name>`, scratch
#      `.build-mutants`): at least one hidden check FAILS for each.
# Any exercise with zero checks run is a violation too (a filter matching nothing exits 0).
#
# Usage: scripts/verify-exercises.sh [Exercise1_3 ...]   (default: every exercise in Package.swift)
# Environment: SKELETON_SCRATCH_PATH, SOLUTIONS_SCRATCH_PATH, MUTANTS_SCRATCH_PATH override the scratch
# paths (e.g. MUTANTS_SCRATCH_PATH=.build-solutions to reuse the solution tree: each mutant then rebuilds
# one exercise module instead of a third cold build). Logs go to .build-verify-logs/ (gitignored by .build-*/).
set -uo pipefail

cd "$(dirname "$0")/.."
skeleton_scratch=${SKELETON_SCRATCH_PATH:-.build}
solutions_scratch=${SOLUTIONS_SCRATCH_PATH:-.build-solutions}
mutants_scratch=${MUTANTS_SCRATCH_PATH:-.build-mutants}
logs=.build-verify-logs
mkdir -p "$logs"

if [ $# -gt 0 ]; then
    ids=("$@")
else
    mapfile -t ids < <(sed -n 's/.*Exercise(id: "\(Exercise[0-9_]*\)".*/\1/p' Package.swift)
fi
if [ ${#ids[@]} -eq 0 ]; then
    echo "verify-exercises: no exercises found in Package.swift" >&2
    exit 1
fi

# A regex over `Module.Class/method` matching exactly these exercises' visible and hidden check modules
# (`Exercise1_1Tests\.` does not match Exercise1_10Tests).
filter=$(printf '%s(Hidden)?Tests\\.|' "${ids[@]}")
filter="^(${filter%|})"

# count <log> <id> <Hidden|""> <passed|failed>: the XCTest result lines of one check class.
count() {
    grep -cE "^Test Case '$2$3Checks\.[^']*' $4" "$1" || true
}

echo "== skeletons ($skeleton_scratch)"
swift test --scratch-path "$skeleton_scratch" --disable-swift-testing --filter "$filter" \
    >"$logs/skeletons.log" 2>&1
echo "== solutions ($solutions_scratch)"
LAB_SOLUTIONS=1 swift test --scratch-path "$solutions_scratch" --disable-swift-testing --filter "$filter" \
    >"$logs/solutions.log" 2>&1

violations=0
rows=()
for id in "${ids[@]}"; do
    problems=()
    sk_pass=$(( $(count "$logs/skeletons.log" "$id" "" passed) + $(count "$logs/skeletons.log" "$id" Hidden passed) ))
    sk_run=$(( sk_pass + $(count "$logs/skeletons.log" "$id" "" failed) + $(count "$logs/skeletons.log" "$id" Hidden failed) ))
    so_vis=$(( $(count "$logs/solutions.log" "$id" "" passed) + $(count "$logs/solutions.log" "$id" "" failed) ))
    so_hid=$(( $(count "$logs/solutions.log" "$id" Hidden passed) + $(count "$logs/solutions.log" "$id" Hidden failed) ))
    so_fail=$(( $(count "$logs/solutions.log" "$id" "" failed) + $(count "$logs/solutions.log" "$id" Hidden failed) ))
    [ "$sk_run" -eq 0 ] && problems+=("no checks ran on the skeleton")
    [ "$sk_pass" -gt 0 ] && problems+=("$sk_pass check(s) pass on the skeleton")
    [ "$so_vis" -eq 0 ] && problems+=("no visible checks ran on the solution")
    [ "$so_hid" -eq 0 ] && [ -d "grader/hidden/$id" ] && problems+=("no hidden checks ran on the solution")
    [ "$so_fail" -gt 0 ] && problems+=("$so_fail check(s) fail on the solution")

    mutants_total=0
    mutants_caught=0
    for dir in grader/mutants/"$id"/*/; do
        [ -d "$dir" ] || continue
        name=$(basename "$dir")
        mutants_total=$((mutants_total + 1))
        log="$logs/mutant-$id-$name.log"
        echo "== mutant $id/$name ($mutants_scratch)"
        LAB_SOLUTIONS=1 LAB_MUTANT="$id/$name" swift test --scratch-path "$mutants_scratch" \
            --disable-swift-testing --filter "^${id}HiddenTests\\." >"$log" 2>&1
        caught=$(count "$log" "$id" Hidden failed)
        ran=$(( caught + $(count "$log" "$id" Hidden passed) ))
        if [ "$ran" -eq 0 ]; then
            problems+=("mutant $name: no hidden checks ran (see $log)")
        elif [ "$caught" -eq 0 ]; then
            problems+=("mutant $name is not caught by any hidden check")
        else
            mutants_caught=$((mutants_caught + 1))
        fi
    done
    [ "$mutants_total" -eq 0 ] && problems+=("no mutant under grader/mutants/$id")

    status=ok
    if [ ${#problems[@]} -gt 0 ]; then
        status=FAIL
        violations=$((violations + ${#problems[@]}))
        for problem in "${problems[@]}"; do echo "VIOLATION $id: $problem" >&2; done
    fi
    rows+=("$(printf '| %-11s | %6s / %-6s | %4s | %4s | %4s | %6s / %-5s | %-6s |' \
        "$id" "$sk_pass" "$sk_run" "$so_vis" "$so_hid" "$so_fail" "$mutants_caught" "$mutants_total" "$status")")
done

echo
echo "| Exercise    | skel pass / run | vis. | hid. | fail | mutants caught | status |"
echo "|-------------|-----------------|------|------|------|----------------|--------|"
for row in "${rows[@]}"; do echo "$row"; done
echo
if [ "$violations" -gt 0 ]; then
    echo "verify-exercises: $violations violation(s); logs in $logs/" >&2
    exit 1
fi
echo "verify-exercises: all exercises sound"
