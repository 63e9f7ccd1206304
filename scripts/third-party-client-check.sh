#!/usr/bin/env bash
# Runs PyGithub (from PyPI, unchanged) against the built mock-github on an ephemeral port.
# Exits non-zero on any failure. Set MOCK_GITHUB_BIN to use an already built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import github" 2>/dev/null; then
    python3 -m pip install --quiet PyGithub
fi
BIN="${MOCK_GITHUB_BIN:-}"
if [ -z "$BIN" ]; then
    swift build --product mock-github >&2
    BIN="$(swift build --show-bin-path)/mock-github"
fi

REPOS=250
OUT="$(mktemp)"
"$BIN" --port 0 --repos "$REPOS" --seed 7 --clock frozen --admin-token check-admin >"$OUT" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -f "$OUT"; }
trap cleanup EXIT

for _ in $(seq 1 200); do
    grep -q "listening on" "$OUT" && break
    kill -0 "$PID" 2>/dev/null || { cat "$OUT" >&2; echo "mock-github exited early" >&2; exit 1; }
    sleep 0.05
done
URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$OUT" | head -1)"
TOKEN="$(sed -n 's/^token: //p' "$OUT" | head -1)"
if [ -z "$URL" ] || [ -z "$TOKEN" ]; then cat "$OUT" >&2; echo "mock-github did not report its URL" >&2; exit 1; fi

python3 scripts/third_party_client_check.py "$URL" "$TOKEN" "$REPOS" check-admin
