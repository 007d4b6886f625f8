"""Benchmark `import_buyers`: wall time and peak memory of importing a buyer file.

    .venv/bin/python benchmarks/bench_import.py [--runs 3] [--sizes 10000 100000]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

For each size the file is generated once (benchmarks/data/, deterministic), then
imported `--runs` times, each into a fresh SQLite database that already holds the demo
campaign (with --postgres, also into a fresh database created on that server). Each import runs
in its own child process, so its peak RSS (ru_maxrss) is the
import's and nothing else's; the child also reports its RSS just before the import
(the interpreter, SQLAlchemy, phonenumbers...) so the growth due to the file shows.
Writes benchmarks/results/import.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results" / "import.json"
SLUG = "arctica-ff260-valve-2026"

sys.path.insert(0, str(HERE))
import harness  # the machine, process figures


def child(db_url: str, csv_path: Path) -> None:
    """Import `csv_path` once and print the measurements as JSON."""
    from bot.db import make_engine, make_session_factory
    from bot.importing import import_buyers

    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with engine.connect():  # open the connection before measuring
        pass
    before = harness.rss_kb()
    start = time.perf_counter()
    summary = import_buyers(factory, SLUG, csv_path)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": summary.rows,
                "imported": summary.imported,
                "rejected": summary.rejected,
                "rss_before_kb": before,
                "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


@contextmanager
def fresh_database(postgres_admin_url: str | None) -> Iterator[str]:
    """The URL of a new, migrated database holding the demo campaign: a SQLite file,
    or a database created (and dropped afterwards) on the given PostgreSQL server."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bot.campaigns.definition import read_definition
    from bot.campaigns.loader import load_campaign
    from bot.db import make_engine, make_session_factory
    from bot.migrate import upgrade

    def prepare(url: str) -> None:
        engine = make_engine(url)
        upgrade(engine)
        with make_session_factory(engine).begin() as session:
            load_campaign(session, read_definition(HERE.parent / "demo" / "campaign.yml"))
        engine.dispose()

    if postgres_admin_url is None:
        with tempfile.TemporaryDirectory(prefix="recall-bench-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            prepare(url)
            yield url
        return
    name = f"recall_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)
        prepare(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(rows: int, runs: int, postgres_admin_url: str | None = None) -> dict[str, object]:
    from generate_buyers import generate

    csv_path = DATA / f"buyers-{rows}.csv"
    if not csv_path.exists():
        generate(rows, csv_path)
    samples = []
    for _ in range(runs):
        with fresh_database(postgres_admin_url) as url:
            out = subprocess.run(
                [sys.executable, __file__, "--child", url, str(csv_path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            samples.append(json.loads(out.strip().splitlines()[-1]))
    median = statistics.median(s["seconds"] for s in samples)
    return {
        "database": "postgresql" if postgres_admin_url else "sqlite",
        "rows": rows,
        "file_bytes": csv_path.stat().st_size,
        "runs": runs,
        "median_seconds": round(median, 2),
        "rows_per_second": round(rows / median),
        "imported": samples[0]["imported"],
        "rejected": samples[0]["rejected"],
        "rss_before_mb": round(max(s["rss_before_kb"] for s in samples) / 1024, 1),
        "peak_rss_mb": round(max(s["peak_rss_kb"] for s in samples) / 1024, 1),
        "seconds": [round(s["seconds"], 2) for s in samples],
    }


def table(results: list[dict[str, object]]) -> str:
    lines = [
        "| database | rows | file | runs | median s | rows/s | RSS before import | peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['rows']:,} | {int(r['file_bytes']) / 1e6:.1f} MB | {r['runs']} "
            f"| {r['median_seconds']} "
            f"| {r['rows_per_second']:,} | {r['rss_before_mb']} MB | {r['peak_rss_mb']} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="also measure on this PostgreSQL server")
    parser.add_argument("--child", nargs=2, metavar=("DB_URL", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    results = [measure(rows, args.runs) for rows in args.sizes]
    if args.postgres:
        results += [measure(rows, args.runs, args.postgres) for rows in args.sizes]
    report = {
        "command": " ".join(
            [os.path.relpath(sys.executable, HERE.parent), "benchmarks/bench_import.py", *sys.argv[1:]]
        ),
        "machine": harness.machine(sqlite=sqlite3.sqlite_version),
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
