#!/usr/bin/env bash
# Proves the exercises are sound (author check; .ci/run runs it for every exercise):
#   0. static rules: skeletons carry `// TODO:` and never crash (no fatalError/preconditionFailure/try!);
#      check classes are `<id>Checks` / `<id>HiddenChecks`; no `try?` in checks; hidden checks use no
#      assertion that prints values (XCTAssertEqual and friends would show hidden inputs and expected
#      values); every exercise has a catalogue entry with its filter;
#   1. skeletons (`Exercises/`, scratch `.build`): every visible and hidden check RUNS and NONE passes,
#      and nothing crashes;
#   2. solutions (`LAB_SOLUTIONS=1`, scratch `.build-solutions`): EVERY visible and hidden check runs and
#      passes, and `swift test` exits 0;
#   3. mutants (`grader/mutants/<id>/<name>/`, `LAB_SOLUTIONS=1 LAB_MUTANT=<id>/<name>`): at least one
#      hidden check FAILS for each, including the check its header comment names ("Caught by
#      <id>HiddenChecks.<method>").
# "Runs" is counted, not assumed: the number of `Test Case '<Class>.<method>' passed|failed` lines must equal
# the number of `func test...` methods in the check files, so a filter that matches nothing, a build that
# fails or a crash that ends the process early is a violation too.
#
# Usage: scripts/verify-exercises.sh [Exercise1_3 ...]   (default: every exercise in Package.swift)
# Environment: SKELETON_SCRATCH_PATH (default .build), SOLUTIONS_SCRATCH_PATH (default .build-solutions),
# MUTANTS_SCRATCH_PATH (default: the solutions scratch path, so each mutant rebuilds one exercise module
# and relinks instead of a third cold build; the next solutions run rebuilds that module back; set
# e.g. .build-mutants to keep the solution tree untouched). Logs go to .build-verify-logs/ (gitignored).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
skeleton_scratch=${SKELETON_SCRATCH_PATH:-.build}
solutions_scratch=${SOLUTIONS_SCRATCH_PATH:-.build-solutions}
mutants_scratch=${MUTANTS_SCRATCH_PATH:-$solutions_scratch}
logs=.build-verify-logs
mkdir -p "$logs"

if [ $# -gt 0 ]; then
    ids=("$@")
else
    # Package.swift lists the whole curriculum; an exercise exists once its skeleton folder does.
    ids=()
    for id in $(sed -n 's/.*Exercise(id: "\(Exercise[0-9_]*\)".*/\1/p' Package.swift); do
        [ -d "Exercises/$id" ] && ids+=("$id")
    done
fi
if [ ${#ids[@]} -eq 0 ]; then
    echo "verify-exercises: no exercises found in Package.swift" >&2
    exit 1
fi
for id in "${ids[@]}"; do
    if ! [[ "$id" =~ ^Exercise[0-9]+_[0-9]+$ ]] || ! grep -q "Exercise(id: \"$id\"" Package.swift \
        || ! [ -d "Exercises/$id" ]; then
        echo "verify-exercises: '$id' is not an exercise of Package.swift" >&2
        exit 1
    fi
done

# A regex over `Module.Class/method` matching exactly these exercises' visible and hidden check modules
# (`Exercise1_1Tests\.` does not match Exercise1_10Tests).
filter=$(printf '%s(Hidden)?Tests\\.|' "${ids[@]}")
filter="^(${filter%|})"
# LAB_ONLY declares just these exercises (no library suites, no tools): smaller builds and test bundles.
only=$(IFS=,; echo "${ids[*]}")

# count <log> <class> <passed|failed>: the XCTest result lines of one check class (0 when the log is missing).
count() {
    local n
    n=$(grep -cE "^Test Case '$2\.[^']*' $3 " "$1" 2>/dev/null)
    echo "${n:-0}"
}

# failed_methods <log> <class>: the methods of <class> that failed, one per line.
failed_methods() {
    sed -n "s/^Test Case '$2\.\([^']*\)' failed .*/\1/p" "$1" 2>/dev/null
}

# declared <files...>: how many XCTest methods the files declare.
declared() {
    cat "$@" 2>/dev/null | grep -cE '^\s*(@[A-Za-z]+\s+)*func test[A-Za-z0-9_]*\(' || true
}

# compile_error <log>: the first compiler error of a build, if any.
compile_error() {
    grep -m1 -E '^[^ ]+\.swift:[0-9]+:[0-9]+: error:' "$1" 2>/dev/null
}

# crashed <log>: prints a line when the test process crashed (the run then lost its later result lines).
crashed() {
    grep -m1 -E "Fatal error:|Exited with (unexpected )?signal|Precondition failed|Segmentation fault" "$1" 2>/dev/null
}

echo "== skeletons ($skeleton_scratch)"
LAB_ONLY="$only" swift test --scratch-path "$skeleton_scratch" --disable-swift-testing --filter "$filter" \
    >"$logs/skeletons.log" 2>&1
echo "== solutions ($solutions_scratch)"
LAB_ONLY="$only" LAB_SOLUTIONS=1 swift test --scratch-path "$solutions_scratch" --disable-swift-testing --filter "$filter" \
    >"$logs/solutions.log" 2>&1
solutions_exit=$?

violations=0
rows=()
for id in "${ids[@]}"; do
    problems=()
    number=${id#Exercise}
    number=${number/_/.}
    visible_files=(Tests/"$id"Tests/*.swift)
    hidden_files=(grader/hidden/"$id"/*.swift)
    [ -e "${hidden_files[0]}" ] || hidden_files=()
    vis_declared=$(declared "${visible_files[@]}")
    hid_declared=0
    [ ${#hidden_files[@]} -gt 0 ] && hid_declared=$(declared "${hidden_files[@]}")

    # 0. Static rules.
    grep -qE "^final class ${id}Checks: XCTestCase" "${visible_files[@]}" 2>/dev/null \
        || problems+=("no 'final class ${id}Checks: XCTestCase' in Tests/${id}Tests")
    [ ${#hidden_files[@]} -eq 0 ] && problems+=("no hidden checks in grader/hidden/$id")
    [ ${#hidden_files[@]} -gt 0 ] && ! grep -qE "^final class ${id}HiddenChecks: XCTestCase" "${hidden_files[@]}" \
        && problems+=("no 'final class ${id}HiddenChecks: XCTestCase' in grader/hidden/$id")
    [ "$vis_declared" -eq 0 ] && problems+=("no visible check methods (func test...) in Tests/${id}Tests")
    grep -rq "// TODO:" "Exercises/$id" 2>/dev/null || problems+=("the skeleton has no // TODO: marker")
    code_dirs=()
    for dir in "Exercises/$id" "Solutions/$id" "grader/mutants/$id"; do [ -d "$dir" ] && code_dirs+=("$dir"); done
    if hits=$(grep -rnE '\bfatalError\(|\bpreconditionFailure\(|\btry!' "${code_dirs[@]}" /dev/null); then
        problems+=("code that can crash (fatalError/preconditionFailure/try!): ${hits%%$'\n'*}")
    fi
    if hits=$(grep -nE '\btry\?' "${visible_files[@]}" "${hidden_files[@]}" 2>/dev/null); then
        problems+=("a check uses try? (the trainee's errors must reach the report): ${hits%%$'\n'*}")
    fi
    if [ ${#hidden_files[@]} -gt 0 ] && hits=$(grep -nE \
        '\bXCTAssert(Equal|NotEqual|Nil|GreaterThan|GreaterThanOrEqual|LessThan|LessThanOrEqual|Identical|NotIdentical)\(' \
        "${hidden_files[@]}"); then
        problems+=("a hidden check uses an assertion that prints values (use XCTAssertTrue): ${hits%%$'\n'*}")
    fi
    diff -q <(cd "Exercises/$id" 2>/dev/null && ls ./*.swift) <(cd "Solutions/$id" 2>/dev/null && ls ./*.swift) \
        >/dev/null || problems+=("Exercises/$id and Solutions/$id do not have the same Swift files")
    grep -qE "^\s*- id: $id\s*$" Exercises/catalogue.yaml && grep -qE "^\s*filter: ${id}Tests\s*$" Exercises/catalogue.yaml \
        || problems+=("no catalogue entry with 'id: $id' and 'filter: ${id}Tests' in Exercises/catalogue.yaml")

    # 1. Skeletons: everything runs, nothing passes, nothing crashes.
    log="$logs/skeletons.log"
    sk_pass=$(($(count "$log" "${id}Checks" passed) + $(count "$log" "${id}HiddenChecks" passed)))
    sk_run=$((sk_pass + $(count "$log" "${id}Checks" failed) + $(count "$log" "${id}HiddenChecks" failed)))
    [ "$sk_run" -ne $((vis_declared + hid_declared)) ] \
        && problems+=("$sk_run of $((vis_declared + hid_declared)) checks ran on the skeleton (see $log) $(compile_error "$log")")
    [ "$sk_pass" -gt 0 ] && problems+=("$sk_pass check(s) pass on the skeleton: $(grep -oE "^Test Case '${id}(Hidden)?Checks\.[^']*' passed" "$log" | cut -d"'" -f2 | tr '\n' ' ')")

    # 2. Solutions: everything runs and passes.
    log="$logs/solutions.log"
    so_vis=$(count "$log" "${id}Checks" passed)
    so_hid=$(count "$log" "${id}HiddenChecks" passed)
    so_fail=$(($(count "$log" "${id}Checks" failed) + $(count "$log" "${id}HiddenChecks" failed)))
    [ "$so_fail" -gt 0 ] && problems+=("$so_fail check(s) fail on the solution: $({ failed_methods "$log" "${id}Checks"; failed_methods "$log" "${id}HiddenChecks"; } | tr '\n' ' ')")
    [ "$so_vis" -ne "$vis_declared" ] \
        && problems+=("$so_vis of $vis_declared visible checks passed on the solution $(compile_error "$log")")
    [ "$so_hid" -ne "$hid_declared" ] && problems+=("$so_hid of $hid_declared hidden checks passed on the solution")

    # 3. Mutants: each is caught, by the check its header names among others.
    mutants_total=0
    mutants_caught=0
    for dir in grader/mutants/"$id"/*/; do
        [ -d "$dir" ] || continue
        name=$(basename "$dir")
        mutants_total=$((mutants_total + 1))
        log="$logs/mutant-$id-$name.log"
        echo "== mutant $id/$name ($mutants_scratch)"
        LAB_ONLY="$id" LAB_SOLUTIONS=1 LAB_MUTANT="$id/$name" swift test --scratch-path "$mutants_scratch" \
            --disable-swift-testing --filter "^${id}HiddenTests\\." >"$log" 2>&1
        caught=$(count "$log" "${id}HiddenChecks" failed)
        ran=$((caught + $(count "$log" "${id}HiddenChecks" passed)))
        named=$(grep -rhoE "Caught by ${id}HiddenChecks\.test[A-Za-z0-9_]+" "$dir" | head -1 | sed 's/.*\.//')
        if [ "$ran" -ne "$hid_declared" ]; then
            problems+=("mutant $name: $ran of $hid_declared hidden checks ran (see $log) $(compile_error "$log")")
        elif [ "$caught" -eq 0 ]; then
            problems+=("mutant $name is not caught by any hidden check")
        elif [ -z "$named" ]; then
            problems+=("mutant $name: no 'Caught by ${id}HiddenChecks.<method>' comment in its files")
        elif ! failed_methods "$log" "${id}HiddenChecks" | grep -qx "$named"; then
            problems+=("mutant $name: the check its comment names ($named) did not fail")
        else
            mutants_caught=$((mutants_caught + 1))
        fi
        if crash=$(crashed "$log"); then problems+=("mutant $name crashed the test process: $crash"); fi
    done
    [ "$mutants_total" -eq 0 ] && problems+=("no mutant under grader/mutants/$id")

    status=ok
    if [ ${#problems[@]} -gt 0 ]; then
        status=FAIL
        violations=$((violations + ${#problems[@]}))
        for problem in "${problems[@]}"; do echo "VIOLATION $id ($number): $problem" >&2; done
    fi
    rows+=("$(printf '| %-11s | %6s / %-6s | %4s | %4s | %4s | %6s / %-5s | %-6s |' \
        "$id" "$sk_pass" "$sk_run" "$so_vis" "$so_hid" "$so_fail" "$mutants_caught" "$mutants_total" "$status")")
done

# Whole-run problems: a crash in either tree, a failing solutions run.
if crash=$(crashed "$logs/skeletons.log"); then
    echo "VIOLATION: the skeleton run crashed (skeletons must throw, never crash): $crash" >&2
    violations=$((violations + 1))
fi
if crash=$(crashed "$logs/solutions.log"); then
    echo "VIOLATION: the solutions run crashed: $crash" >&2
    violations=$((violations + 1))
fi
if [ "$solutions_exit" -ne 0 ]; then
    echo "VIOLATION: the solutions run exited $solutions_exit (see $logs/solutions.log)" >&2
    violations=$((violations + 1))
fi

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
