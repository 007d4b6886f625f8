"""`make bench`: run every benchmark in turn (each writes benchmarks/results/*.json and
prints a markdown table; benchmarks/README.md holds the figures with their commands)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

BENCHMARKS = [
    ["bench_import.py", "--postgres", PG],
    ["nlu_compare.py"],
    ["bench_gateway.py", "--postgres", PG],
    ["bench_replicas.py", "--postgres", PG],  # 1 vs 2 Rasa replicas on PostgreSQL + Redis, ~6 minutes
    ["bench_replicas.py", "--postgres", PG, "--tier", "rasa"],  # the same, Rasa's tier alone, ~6 minutes
    ["bench_outreach.py", "--postgres", PG],
    ["bench_dashboard.py", "--postgres", PG],  # ~2 minutes
    ["bench_photo_reading.py"],  # OCR of label photos: 9 configurations on 300, one on 300 more, ~45 minutes
]


def main() -> int:
    failed = 0
    for script, *args in BENCHMARKS:
        print(f"\n== {script} {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / script), *args], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
