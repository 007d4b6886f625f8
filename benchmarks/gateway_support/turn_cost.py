"""Benchmark only: what the gateway's own database work costs per turn, without the noise
of the full stack (one thread, nothing else running in the process).

    .venv/bin/python benchmarks/gateway_support/turn_cost.py [--postgres ADMIN_URL]
        [--turns 200] [--rounds 3] [--compare DIR]

One "turn" is what the app does for one ordinary customer message: store the webhook
(`store_inbound`), find the customer's unprocessed messages, `claim`, `deliver` one reply
(a stand-in for the Twilio client, so no HTTP), `mark_processed`, and the three status
callbacks the simulator sends for it (sending, sent, delivered). Printed: wall and CPU
milliseconds per turn, and SQL statements per turn (pool pre-pings, BEGIN and COMMIT
are not statements here; one lookup of the reply's sid by this script is left out).

`--compare DIR` also measures another copy of bot/gateway (e.g. the code before a
change, copied to DIR), imported as the package `gateway_under_test` and measured in
alternating rounds with the current code.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import bench_gateway as bench
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from bot.models import Channel, Message
from bot.settings import Settings
from bot.twilio.errors import SendOutcome
from bot.twilio.sender import SendResult

_sids = itertools.count(1)
_statements = [0]


@event.listens_for(Engine, "before_cursor_execute")
def _count(*_args) -> None:
    _statements[0] += 1


class StubSender:
    def send(self, to: str, *, channel: str, body: str | None = None, **kwargs) -> SendResult:
        return SendResult(
            ok=True,
            sid=f"SM{next(_sids):032x}",
            status="queued",
            error_code=None,
            error_message=None,
            outcome=SendOutcome.SENT,
            attempts=1,
        )


def measure(package: str, factory, phones: list[str], turns: int) -> tuple[float, float, float]:
    inbound = importlib.import_module(f"{package}.inbound")
    handling = importlib.import_module(f"{package}.handling")
    processor = importlib.import_module(f"{package}.processor")
    try:  # an older copy of bot/gateway has its own outbound module
        outbound = importlib.import_module(f"{package}.outbound")
    except ModuleNotFoundError:
        outbound = importlib.import_module("bot.messaging.replies")
    status = importlib.import_module(f"{package}.status_callbacks")
    replies = outbound.ReplySender(factory, StubSender(), Settings())

    def pending(customer_id: int) -> list[int]:
        if hasattr(processor, "unprocessed"):
            return processor.unprocessed(factory, customer_id)
        return [processor.next_unprocessed(factory, customer_id)]  # the code before: one at a time

    def turn(i: int) -> None:
        stored = inbound.store_inbound(factory, bench.webhook_params(phones[i % len(phones)], "is it safe?"))
        if hasattr(inbound, "attach_inbound"):  # the store no longer finds the customer: the intake does
            customer_id = inbound.attach_inbound(factory, stored.message_id)
        else:
            customer_id = stored.customer_id
        work = handling.claim(factory, pending(customer_id)[0])
        replies.deliver(
            customer_id=work.customer_id,
            channel=Channel.SMS,
            texts=["The fault is not a fire or electrical risk."],
            reply_to_id=work.message_id,
        )
        handling.mark_processed(factory, work.message_id)
        if not hasattr(processor, "unprocessed"):
            processor.next_unprocessed(factory, customer_id)  # ... and asked again after each
        with factory() as session:
            sid = session.scalar(select(Message.twilio_sid).where(Message.reply_to_id == work.message_id))
        for value in ("sending", "sent", "delivered"):
            status.apply_status(factory, {"MessageSid": sid, "MessageStatus": value})

    for i in range(20):
        turn(i)
    statements = _statements[0]
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(turns):
        turn(i)
    return (
        (time.perf_counter() - wall) / turns * 1000,
        (time.process_time() - cpu) / turns * 1000,
        (_statements[0] - statements) / turns - 1,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=bench.DEFAULT_PG)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="a copy of an older bot/gateway to measure as well")
    args = parser.parse_args()
    packages = {"current": "bot.gateway"}
    if args.compare:
        holder = Path(tempfile.mkdtemp())
        target = holder / "gateway_under_test"
        shutil.copytree(args.compare, target)
        for path in target.glob("*.py"):
            path.write_text(
                path.read_text()
                .replace("from bot.gateway.", "from gateway_under_test.")
                .replace("from bot.gateway import", "from gateway_under_test import")
            )
        sys.path.insert(0, str(holder))
        packages = {str(args.compare): "gateway_under_test", **packages}
    url = bench.create_database(args.postgres)
    engine = bench.make_engine(url)
    factory = bench.make_session_factory(engine)
    try:
        phones = [f"+9170{n:08d}" for n in range(1, 41)]
        store = importlib.import_module("bot.gateway.inbound").store_inbound
        for phone in phones:  # the customers exist: every turn is an ordinary one
            store(factory, bench.webhook_params(phone, "hi"))
        with factory.begin() as session:
            session.execute(text("UPDATE messages SET processed_at = now()"))
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in packages}
        for _ in range(args.rounds):
            for name, package in packages.items():
                results[name].append(measure(package, factory, phones, args.turns))
        print("| code | wall ms/turn | CPU ms/turn | SQL statements/turn |")
        print("|---|---:|---:|---:|")
        for name, rows in results.items():
            walls, cpus = sorted(r[0] for r in rows), sorted(r[1] for r in rows)
            print(f"| {name} | {walls[len(walls) // 2]:.1f} | {cpus[len(cpus) // 2]:.1f} | {rows[0][2]:.0f} |")
        print(f"(median of {args.rounds} rounds of {args.turns} turns; PostgreSQL on 127.0.0.1)")
    finally:
        engine.dispose()
        bench.drop_database(args.postgres, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
