"""Benchmark the outreach sender (issue 5): messages per second against a Twilio that
answers each API call 150 ms late, and the sender's memory over a 100,000-customer recall.

    .venv/bin/python benchmarks/bench_outreach.py [--postgres ADMIN_URL] [--customers 100000]
        [--latency-ms 150] [--rate 300] [--concurrency 64]

One run: a fresh PostgreSQL database holding the demo recall and `--customers` generated
buyers (benchmarks/generate_buyers.py, no bad rows, imported with `recall import`'s
code), the local Twilio simulator in its own process (gateway_support/sim_process.py)
with `latency_ms` injected into every REST call, and `recall outreach start` as its own
process, exactly as an operator runs it (`--rate`, `--concurrency`,
`--ignore-quiet-hours`: the benchmark must not depend on the hour of the day in India).

Measured:
- on the simulator's side, the moment each message was created: messages per second in
  every 10-second window; "sustained" is the median window between the first and the
  last full minute;
- the sender's resident memory (VmRSS), sampled every half second, and its peak
  (VmHWM): flat memory means the peak at 100,000 customers is no higher than at 10,000;
- exactly once, checked on the simulator's side: customers messaged, duplicates, missed.

Status callbacks go to a port nobody listens on (PUBLIC_BASE_URL): the simulator posts
them and they are refused at once. Receiving them is the web app's work (another process,
in production on another machine), measured by the gateway benchmark.
Writes benchmarks/results/outreach.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "outreach.json"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ACCOUNT_SID = "AC" + "0b" * 16
TOKEN = "bench-outreach-auth-token"
WINDOW = 10.0
AFFECTED_LETTERS = "CDEFG"  # the demo recall's range: AR26C000001 to AR26G999999

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import harness  # the machine, the simulator, process figures
from bench_import import SLUG, fresh_database
from generate_buyers import generate

from bot.db import make_engine, make_session_factory
from bot.importing import import_buyers
from bot.processes import free_port


class Simulator:
    """The local Twilio simulator's process (harness.simulator), noting the moment of every
    message created through the REST API."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process, self.url = process, url
        self.sent: list[tuple[float, str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            parts = line.split()
            if parts and parts[0] == "R" and parts[3] == "outbound-api":
                self.sent.append((float(parts[1]), parts[2]))

    def set_latency(self, ms: float) -> None:
        httpx.post(f"{self.url}/sim/api/faults", json={"latency_ms": ms}, timeout=10).raise_for_status()


def seed(url: str, customers: int) -> int:
    with tempfile.TemporaryDirectory(prefix="recall-bench-outreach-") as tmp:
        path = Path(tmp) / "buyers.csv"
        generate(customers, path, bad_share=0.0, second_unit_share=0.0, letters=AFFECTED_LETTERS)
        engine = make_engine(url)
        summary = import_buyers(make_session_factory(engine), SLUG, path)
        engine.dispose()
    return summary.imported


def count_eligible(url: str) -> int:
    from sqlalchemy import select

    from bot.models import Campaign
    from bot.outreach.eligibility import count_notice_candidates

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        n = count_notice_candidates(session, session.scalar(select(Campaign.id).where(Campaign.slug == SLUG)))
    engine.dispose()
    return n


def dispatch(url: str, sim: Simulator, rate: int, concurrency: int) -> dict[str, Any]:
    """`recall outreach start` in its own process; its memory sampled until it ends."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TWILIO_API_URL": sim.url,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{free_port()}",  # nobody listens
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(ROOT / ".venv" / "bin" / "recall"),
        "outreach",
        "start",
        "--campaign",
        SLUG,
        "--rate",
        str(rate),
        "--concurrency",
        str(concurrency),
        "--ignore-quiet-hours",
    ]
    with tempfile.TemporaryDirectory() as cwd:  # no .env of the checkout
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        samples: list[tuple[float, int, int]] = []  # (seconds, sent so far, rss kB)
        while (peak := harness.reaped_peak_rss_kb(process)) is None:
            if rss := harness.rss_kb(process.pid):
                samples.append((time.monotonic() - started, len(sim.sent), rss))
            time.sleep(0.5)
        out, err = process.communicate()
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"recall outreach start failed ({process.returncode}):\n{err[-3000:]}")
    return {
        "command": " ".join(command[1:]),
        "seconds": round(seconds, 1),
        "summary": out.strip().splitlines()[-1:],
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_samples": samples,
    }


def windows(times: list[float]) -> list[float]:
    """Messages created in each WINDOW-second window from the first message on."""
    if not times:
        return []
    start = min(times)
    counts = collections.Counter(int((t - start) // WINDOW) for t in times)
    return [counts.get(i, 0) / WINDOW for i in range(max(counts) + 1)]


def rss_at(samples: list[tuple[float, int, int]], sent: int) -> float | None:
    """Resident memory (MB) when `sent` messages had gone out."""
    for _, done, rss in samples:
        if done >= sent:
            return round(rss / 1024, 1)
    return None


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with fresh_database(args.postgres) as url:
        seed(url, args.customers)
        customers = count_eligible(url)
        config = {"account_sid": ACCOUNT_SID, "auth_token": TOKEN, "auto_replies": False}
        with harness.simulator(config, text=True) as (process, sim_url):
            sim = Simulator(process, sim_url)
            sim.set_latency(args.latency_ms)
            run = dispatch(url, sim, args.rate, args.concurrency)
            time.sleep(1)  # the reader thread catches up with the last lines
    times = [t for t, _ in sim.sent]
    per_customer = collections.Counter(phone for _, phone in sim.sent)
    rates = windows(times)
    steady = rates[60 // int(WINDOW) : -(60 // int(WINDOW))] or rates
    span = (max(times) - min(times)) if times else 0.0
    marks = sorted({m for m in (1_000, 10_000, 50_000, customers) if m <= len(times)})
    samples = run.pop("rss_samples")
    return {
        "machine": harness.machine(**harness.rasa_versions()),
        "customers": customers,
        "latency_ms": args.latency_ms,
        "rate": args.rate,
        "concurrency": args.concurrency,
        **run,
        "messages": len(times),
        "customers_messaged": len(per_customer),
        "duplicates": sum(n - 1 for n in per_customer.values()),
        "missed": customers - len(per_customer),
        "mean_rate": round(len(times) / span, 1) if span else None,
        "sustained_rate": round(statistics.median(steady), 1) if steady else None,
        "slowest_window_rate": round(min(steady), 1) if steady else None,
        "window_rates": rates,
        "rss_mb_after": {str(m): rss_at(samples, m) for m in marks},
        "rss_mb_timeline": [(round(t), done, round(rss / 1024, 1)) for t, done, rss in samples[::20]],
    }


def table(result: dict[str, Any]) -> str:
    rss = result["rss_mb_after"]
    marks = " / ".join(f"{int(m):,}: {v}" for m, v in rss.items())
    return "\n".join(
        [
            "| customers | API latency | --rate | --concurrency | sent | sustained msg/s | slowest 10 s | mean msg/s "
            "| duration | peak RSS | RSS after N sent (MB) | duplicates | missed |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
            f"| {result['customers']:,} | {result['latency_ms']:.0f} ms | {result['rate']} | {result['concurrency']} "
            f"| {result['messages']:,} | {result['sustained_rate']} | {result['slowest_window_rate']} "
            f"| {result['mean_rate']} | {result['seconds']:,.0f} s | {result['peak_rss_mb']} MB | {marks} "
            f"| {result['duplicates']} | {result['missed']} |",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default=DEFAULT_PG, help="admin URL of the PostgreSQL server")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--rate", type=int, default=300, help="the sender's --rate (messages per second)")
    parser.add_argument("--concurrency", type=int, default=64, help="the sender's --concurrency")
    args = parser.parse_args()
    result = measure(args)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    return 0 if result["duplicates"] == 0 and result["missed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
