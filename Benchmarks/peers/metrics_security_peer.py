#!/usr/bin/env python3
"""Python peers for moko-bench section "metrics-security".

Re-creations (written for this benchmark, not copied) of what the original MokoStandards Python code did:
- MetricsCollector: counters in a dict keyed by name + sorted label string, built on every call; its
  export_prometheus wrote one "# TYPE" line per labelled series (not valid 0.0.4, but that is the peer).
- scan_file: every line of every file run through 7 case-insensitive assignment regexes.

Usage: metrics_security_peer.py <corpus-directory>. Prints one JSON object on its last line.
"""
import json
import os
import re
import sys
import time


class MetricsCollector:
    def __init__(self, service_name):
        self.service_name = service_name
        self.counters = {}
        self.gauges = {}

    @staticmethod
    def _key(name, labels):
        if not labels:
            return name
        label_str = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        return f"{name}{{{label_str}}}"

    def increment(self, name, value=1, labels=None):
        key = self._key(name, labels)
        self.counters[key] = self.counters.get(key, 0) + value

    def export_prometheus(self):
        lines = []
        for key, value in self.counters.items():
            lines.append(f"# TYPE {key} counter")
            lines.append(f"{key} {value}")
        for key, value in self.gauges.items():
            lines.append(f"# TYPE {key} gauge")
            lines.append(f"{key} {value}")
        return "\n".join(lines)


PATTERNS = [
    re.compile(r"password\s*=\s*['\"][^'\"]+['\"]", re.IGNORECASE),
    re.compile(r"passwd\s*=\s*['\"][^'\"]+['\"]", re.IGNORECASE),
    re.compile(r"api[_-]?key\s*=\s*['\"][^'\"]+['\"]", re.IGNORECASE),
    re.compile(r"secret\s*=\s*['\"][^'\"]+['\"]", re.IGNORECASE),
    re.compile(r"token\s*=\s*['\"][^'\"]+['\"]", re.IGNORECASE),
    re.compile(r"aws[_-]?secret[_-]?access[_-]?key\s*=\s*['\"][^'\"]+['\"]", re.IGNORECASE),
    re.compile(r"['\"][A-Za-z0-9+/]{40,}['\"]", re.IGNORECASE),
]
SKIP = ("example", "test", "xxx", "changeme", "placeholder", "your_")


def scan_file(path):
    findings = []
    try:
        with open(path, "r", encoding="utf-8", errors="ignore") as handle:
            for number, line in enumerate(handle, 1):
                for pattern in PATTERNS:
                    match = pattern.search(line)
                    if match and not any(word in match.group(0).lower() for word in SKIP):
                        findings.append((path, number))
    except OSError:
        pass
    return findings


def scan_directory(root):
    findings = []
    total = 0
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", "node_modules")]
        for name in files:
            path = os.path.join(directory, name)
            total += os.path.getsize(path)
            findings += scan_file(path)
    return findings, total


def main():
    results = {}
    collector = MetricsCollector(service_name="bench")
    labels = {"method": "GET", "code": "200"}
    iterations = 300_000
    start, cpu = time.perf_counter(), time.thread_time()
    for _ in range(iterations):
        collector.increment("bench_requests_total", labels=labels)
    results["increment_ns"] = (time.perf_counter() - start) * 1e9 / iterations
    results["increment_cpu_ns"] = (time.thread_time() - cpu) * 1e9 / iterations

    exporter = MetricsCollector(service_name="bench")
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    for family in range(10):
        for series in range(100):
            exporter.increment(f"bench_family_{family}_total", series,
                               {"method": methods[series % 5], "route": f"/api/v{series % 3}/items/{series}",
                                "code": str(200 + series % 4)})
    rounds = 200
    start, cpu = time.perf_counter(), time.thread_time()
    for _ in range(rounds):
        exporter.export_prometheus()
    results["export_ms"] = (time.perf_counter() - start) * 1e3 / rounds
    results["export_cpu_ms"] = (time.thread_time() - cpu) * 1e3 / rounds

    if len(sys.argv) > 1:
        best = best_cpu = None
        for _ in range(3):
            start, cpu = time.perf_counter(), time.thread_time()
            _, total = scan_directory(sys.argv[1])
            elapsed, elapsed_cpu = time.perf_counter() - start, time.thread_time() - cpu
            best = elapsed if best is None else min(best, elapsed)
            best_cpu = elapsed_cpu if best_cpu is None else min(best_cpu, elapsed_cpu)
        results["scan_mbps"] = total / 1_048_576 / best
        results["scan_cpu_mbps"] = total / 1_048_576 / best_cpu
    print(json.dumps(results))


if __name__ == "__main__":
    main()
