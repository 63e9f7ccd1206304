#!/usr/bin/env bash
# Proves the exercises are sound (author check): a thin wrapper around `lab verify`, which implements the
# rules (Sources/LabKit/Verify):
#   0. static rules: skeletons carry `// TODO:` and never crash (no fatalError/preconditionFailure/try!);
#      each exercise has a README, catalogue hints, check classes `<id>Checks` / `<id>HiddenChecks`; no
#      `try?` in checks; hidden checks use no assertion that prints values; skeleton and solution have the
#      same Swift files; the catalogue and Package.swift agree (ids, filters, numbers);
#   1. skeletons (`Exercises/`, scratch `.build`): every visible and hidden check RUNS and NONE passes,
#      and nothing crashes;
#   2. solutions (`LAB_SOLUTIONS=1`, scratch `.build-solutions`): EVERY visible and hidden check runs and
#      passes, and `swift test` exits 0;
#   3. mutants (`grader/mutants/<id>/<name>/mutant.yaml`, the solution with its edits written to the mutants'
#      scratch path, `LAB_ONLY=<id> LAB_SOLUTIONS=1 LAB_MUTANT=<id>/<name> LAB_MUTANT_DIR=<that folder>`): at
#      least one hidden check FAILS for each, including the check its header comment names ("Caught by
#      <id>HiddenChecks.<method>").
# "Runs" is counted, not assumed: the `Test Case '<Class>.<method>' passed|failed` lines must match the
# `func test...` methods in the check files, so a filter that matches nothing, a build that fails or a crash
# that ends the process early is a violation too.
#
# Usage: scripts/verify-exercises.sh [Exercise1_3|1.3 ...]   (default: every exercise in Package.swift)
# Environment: SKELETON_SCRATCH_PATH (default .build), SOLUTIONS_SCRATCH_PATH (default .build-solutions),
# MUTANTS_SCRATCH_PATH (default: the solutions scratch path), LAB_TOOL_SCRATCH_PATH (where `lab` itself is
# built, default .build-tools). Logs go to .build-verify-logs/ (gitignored).
set -euo pipefail

cd "$(dirname "$0")/.." || exit 1
tools=${LAB_TOOL_SCRATCH_PATH:-.build-tools}
build_log=$(mktemp)
if ! LAB_ONLY=lab,LabKit swift build --scratch-path "$tools" --product lab >"$build_log" 2>&1; then
    cat "$build_log" >&2
    echo "verify-exercises: could not build lab (above)" >&2
    exit 1
fi
rm -f "$build_log"
exec "$(LAB_ONLY=lab,LabKit swift build --scratch-path "$tools" --show-bin-path)/lab" verify "$@"
