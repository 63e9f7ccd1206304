"""Peer for the audit benchmark: a minimal re-creation of the original MokoStandards Python audit logger.

The original `enterprise_audit.py` appended one JSON object per event to
`audit_{service}_{YYYYMMDD}.jsonl` with the fields level, event_type, details, transaction_id,
timestamp, session_id, service and user -- no hash chain, no redaction, no fsync. This script does
the same (written for the benchmark, not copied) and prints one JSON object on its last line.

    python3 audit_peer.py [events]
"""

import datetime
import getpass
import json
import os
import sys
import tempfile
import time
import uuid


class PeerAuditLogger:
    def __init__(self, service, log_dir):
        self.service = service
        self.session_id = str(uuid.uuid4())
        try:
            self.user = getpass.getuser()
        except Exception:
            self.user = "system"
        day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d")
        self.path = os.path.join(log_dir, f"audit_{service}_{day}.jsonl")
        self.handle = open(self.path, "a", encoding="utf-8")

    def log_event(self, event_type, details, transaction_id=None, level="INFO"):
        entry = {
            "level": level,
            "event_type": event_type,
            "details": details,
            "transaction_id": transaction_id,
            "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "session_id": self.session_id,
            "service": self.service,
            "user": self.user,
        }
        self.handle.write(json.dumps(entry) + "\n")

    def close(self):
        self.handle.close()


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as folder:
        logger = PeerAuditLogger("bench_peer", folder)
        transaction = str(uuid.uuid4())
        for index in range(1_000):
            logger.log_event("process_item", {"item": index, "status": "success"}, transaction)
        start = time.perf_counter()
        for index in range(count):
            logger.log_event(
                "process_item",
                {"item": index, "repository": "mokoconsulting-tech/MokoStandards", "status": "success"},
                transaction,
            )
        logger.handle.flush()
        elapsed = time.perf_counter() - start
        logger.close()
    print(json.dumps({"events_per_s": count / elapsed, "events": count}))


if __name__ == "__main__":
    main()
