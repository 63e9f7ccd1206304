"""Python peers for the "resilience" benchmark section: tenacity and pybreaker around a trivial call.

Prints one JSON object on its last line: nanoseconds per successful call for
  tenacity_ns  - a @tenacity.retry-decorated function (4 attempts, exponential jitter wait),
  pybreaker_ns - pybreaker.CircuitBreaker.call (fail_max=5, reset_timeout=60),
  both_ns      - the breaker call inside the retried function (retry outside, breaker inside),
  plain_ns     - the bare function call, for reference.

Installs nothing: run `pip install tenacity pybreaker` first. Exits 2 when they are missing.
Usage: python3 resilience_peer.py [iterations]
"""

import json
import sys
import time

try:
    import pybreaker
    import tenacity
except ImportError as missing:
    print(f"resilience_peer: missing Python package {missing.name!r}; run: pip install tenacity pybreaker",
          file=sys.stderr)
    sys.exit(2)


def operation():
    return 1


RETRY = dict(
    stop=tenacity.stop_after_attempt(4),
    wait=tenacity.wait_exponential_jitter(initial=1, max=60),
    reraise=True,
)

breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)


@tenacity.retry(**RETRY)
def with_retry():
    return operation()


def with_breaker():
    return breaker.call(operation)


@tenacity.retry(**RETRY)
def with_both():
    return breaker.call(operation)


def nanoseconds_per_call(function, iterations):
    for _ in range(min(iterations, 5_000)):
        function()
    start = time.perf_counter_ns()
    for _ in range(iterations):
        function()
    return (time.perf_counter_ns() - start) / iterations


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    result = {
        "plain_ns": nanoseconds_per_call(operation, iterations),
        "tenacity_ns": nanoseconds_per_call(with_retry, iterations),
        "pybreaker_ns": nanoseconds_per_call(with_breaker, iterations),
        "both_ns": nanoseconds_per_call(with_both, iterations),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
