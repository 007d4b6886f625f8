"""Benchmark the recall dashboard's queries (issue 7): every statement behind
`dashboard_data` and the CSV export's first 1,000 rows, at 100,000 customers and
1,000,000 messages on PostgreSQL. Target: each query under 100 ms.

    .venv/bin/python benchmarks/bench_dashboard.py [--postgres ADMIN_URL] [--customers 100000]
        [--messages 1000000] [--runs 30] [--keep]

One run: a fresh database (migrated, the demo recall), filled by
benchmarks/dashboard_data.py (then VACUUM ANALYZE), then each named query of
`bot.services.dashboard.QUERIES` run `--runs` times after 3 warm-up runs, in
interleaved rounds (query 1..n, then again), each on the same open session: median and
p95 (nearest rank) in ms. `dashboard_data` as a whole is timed too. The slowest query's
statements are shown with EXPLAIN (ANALYZE, BUFFERS). Writes
benchmarks/results/dashboard.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "dashboard.json"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 100.0

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import harness  # the machine
from bench_import import SLUG, fresh_database
from dashboard_data import generate
from sqlalchemy import event, select

from bot.db import make_engine, make_session_factory
from bot.models import Campaign
from bot.services import dashboard


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def csv_first_rows(session, campaign, n: int = 1000) -> None:
    rows = dashboard.customers_csv_rows(session, campaign)
    for _ in range(n + 1):  # the header and n customers
        next(rows)
    rows.close()


def measure(url: str, runs: int) -> dict[str, Any]:
    engine = make_engine(url)
    statements: list[tuple[str, Any]] = []
    capturing = {"on": False}

    @event.listens_for(engine, "before_cursor_execute")
    def capture(conn, cursor, statement, parameters, context, executemany):
        if capturing["on"]:
            statements.append((statement, parameters))

    factory = make_session_factory(engine)
    with factory() as session:
        campaign = session.scalar(select(Campaign).where(Campaign.slug == SLUG))
        assert campaign is not None
        _, bounds = dashboard._day_bounds(campaign, 30, None)
        work = {name: (lambda q=q: q(session, campaign, bounds)) for name, q in dashboard.QUERIES.items()}
        work["csv_first_1000_rows"] = lambda: csv_first_rows(session, campaign)
        work["dashboard_data (all the queries above, not the CSV)"] = lambda: dashboard.dashboard_data(
            session, campaign
        )
        times: dict[str, list[float]] = {name: [] for name in work}
        for round_ in range(3 + runs):
            for name, fn in work.items():
                started = time.perf_counter()
                fn()
                elapsed = (time.perf_counter() - started) * 1000
                if round_ >= 3:
                    times[name].append(elapsed)
            session.rollback()  # no snapshot kept between rounds
        data = dashboard.dashboard_data(session, campaign)
        queries = {
            name: {
                "median_ms": round(statistics.median(t), 2),
                "p95_ms": round(p95(t), 2),
                "max_ms": round(max(t), 2),
                "runs": len(t),
            }
            for name, t in times.items()
        }
        single = {k: v for k, v in queries.items() if k in dashboard.QUERIES or k == "csv_first_1000_rows"}
        slowest = max(single, key=lambda k: single[k]["median_ms"])
        statements.clear()
        capturing["on"] = True
        work[slowest]()
        capturing["on"] = False
        cursor = session.connection().connection.driver_connection.cursor()
        plans = []
        for statement, parameters in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            # the IN lists / arrays of bound values make lines long: cut them
            plans.append("\n".join(row[0] if len(row[0]) < 400 else row[0][:400] + " ..." for row in cursor.fetchall()))
        session.rollback()
    engine.dispose()
    return {
        "queries": queries,
        "slowest": slowest,
        "explain_slowest": plans,
        "status": data["status"],
        "funnel": data["funnel"],
    }


def table(result: dict[str, Any]) -> str:
    lines = ["| query | median ms | p95 ms | max ms | < 100 ms (p95) |", "|---|---:|---:|---:|---|"]
    for name, q in result["queries"].items():
        ok = "" if name.startswith("dashboard_data") else ("yes" if q["p95_ms"] < TARGET_MS else "**no**")
        lines.append(f"| {name} | {q['median_ms']:.1f} | {q['p95_ms']:.1f} | {q['max_ms']:.1f} | {ok} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=DEFAULT_PG, help="admin URL of the PostgreSQL server")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    info = harness.machine(started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    with fresh_database(args.postgres) as url:
        engine = make_engine(url)
        started = time.perf_counter()
        rows = generate(engine, customers=args.customers, messages=args.messages)
        seeded = time.perf_counter() - started
        with engine.connect() as conn:
            info["postgresql"] = conn.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
        print(f"generated in {seeded:.1f} s: {rows}", flush=True)
        result = measure(url, args.runs)
    result = {
        "machine": info,
        "customers": args.customers,
        "messages": args.messages,
        "rows": rows,
        "generate_seconds": round(seeded, 1),
        "runs": args.runs,
        **result,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(table(result))
    print(f"\nslowest: {result['slowest']}\n" + "\n\n".join(result["explain_slowest"]))
    failed = [
        n for n, q in result["queries"].items() if not n.startswith("dashboard_data") and q["p95_ms"] >= TARGET_MS
    ]
    if failed:
        print(f"\nover {TARGET_MS:.0f} ms at p95: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
