"""Benchmark the SMS/WhatsApp gateway (issue 4) against Rasa's stock channels.

    .venv/bin/python benchmarks/bench_gateway.py [--postgres ADMIN_URL] [--model PATH]
        [--ack-customers 50] [--ack-messages 10] [--concurrency 10 50]
        [--warmup 8] [--duration 80] [--rounds 4]

One run, one trained model (the newest in models/), one Rasa server (REST channel plus
the stock Twilio channel), one action server, one fresh PostgreSQL database seeded with
the demo recall, the local Twilio simulator (its own process,
gateway_support/sim_process.py) and the app (`recall serve`, its own process), all on
127.0.0.1:

1. Webhook acknowledgement: `--ack-customers` customers (fresh numbers: they join the
   demo recall), each sending `--ack-messages` messages as signed Twilio webhooks
   straight to the app's POST /twilio/inbound, the next one a think time (0.5-1.5 s,
   seeded) after the previous webhook was answered: ~50 webhooks/s, several times what
   the dialogue engine processes, so the app acknowledges while its background
   processing (and Rasa) run flat out. Recorded: the HTTP round trip of every webhook.
   The same schedule is then posted to Rasa's stock Twilio channel
   (POST /webhooks/twilio/webhook, its client redirected to the simulator by
   gateway_support/sim_twilio_channel.py): how long Rasa holds each webhook open.
2. Turns: a closed loop at each `--concurrency` (each customer sends its next message
   only once it has the reply to the previous one; after the last message of the script
   it starts again as a new customer). Through the gateway: from posting the webhook to
   the reply reaching the simulator. Stock: POST /webhooks/rest/webhook to the same
   Rasa server, the HTTP round trip. The two paths take turns in blocks (A B B A A B B A
   for --rounds 4), each `--warmup` seconds and then duration/rounds seconds measured
   (turns completed in the window), so that the machine's other load falls on both
   alike. On this shared 2-vCPU machine blocks of the same path differ by up to ~20%:
   four rounds, not two, keep that out of the ratio.

Every path runs the same conversation script (`script()`) against the same actions and
database (the stock paths' customers exist in the database under their Rasa sender id,
so the actions do the same work). CPU time of every process is sampled per block.
`--profile-app FILE` runs the app under gateway_support/instrumented_serve.py (timers per
step, statement counts) for investigations; it slows the app down.
Writes benchmarks/results/gateway.json and prints markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import secrets
import shlex
import statistics
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text, update
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SUPPORT = HERE / "gateway_support"
RESULTS = HERE / "results" / "gateway.json"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TOKEN = "bench-gateway-auth-token"
ACCOUNT_SID = "AC" + "be" * 16
TWILIO_NUMBER = "+15005550006"
TWILIO_WEBHOOK_TIMEOUT = 15.0  # Twilio gives up on a webhook after 15 s (error 11200)
TURN_TIMEOUT = 60.0

sys.path.insert(0, str(ROOT))

from bot.db import make_engine, make_session_factory, run_in_write_transaction
from bot.models import Conversation
from bot.processes import (
    BACKGROUND_NICE,
    LOG_DIR,
    ChildServer,
    action_server,
    free_port,
    latest_model,
    rasa_server,
    train_model,
)
from bot.services.conversations import open_conversation_safely
from tests.support.demo import seed_demo

sys.path.insert(0, str(HERE))
import harness
from gateway_support.raw_http import Connection, form_request

# --------------------------------------------------------------------------------------
# The conversation every simulated customer has (same script on every path).

SERIAL_SHAPES = ["{s}", "my serial is {s}", "sr no {lower_dashed}", "{letter_spaced}", "serial: {dashed}"]


def serial_text(rng: random.Random) -> str:
    """A valid serial from the affected range AR26C000001..AR26G999999, in one of the
    shapes people type it."""
    letter, number = rng.choice("CDEFG"), rng.randint(1, 999_999)
    serial = f"AR26{letter}{number:06d}"
    return rng.choice(SERIAL_SHAPES).format(
        s=serial,
        lower_dashed=f"ar26-{letter.lower()} {number:06d}",
        letter_spaced=f"AR26{letter} {number:06d}",
        dashed=f"AR26-{letter}-{number:06d}",
    )


def script(rng: random.Random) -> list[str]:
    """One customer's messages: greeting, serial, a question inside the form, a remedy,
    the address (a new number has none on file), a question while the slots are
    offered, another question. No booking is made (the demo calendar is small: bookings
    would run out during a run and change the conversation)."""
    return [
        rng.choice(["hi", "hello", "Hi, I got your message about my fridge"]),
        serial_text(rng),
        rng.choice(["is it safe to keep using the fridge?", "is it safe?"]),
        rng.choice(["1", "repair"]),
        "Flat 4B, Rose Villa, Baner Road, Pune 411045",
        rng.choice(["what is the defect?", "what is wrong with the fridge?"]),
        rng.choice(["is it safe?", "is it dangerous"]),
        "thanks",
    ]


class Phones:
    """Fresh, valid Indian mobile numbers, distinct per path and phase."""

    def __init__(self, prefix: int) -> None:
        self._numbers = (f"+91{prefix}{n:08d}" for n in itertools.count(1))

    def __next__(self) -> str:
        return next(self._numbers)


# --------------------------------------------------------------------------------------
# Figures


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary_ms(seconds: list[float]) -> dict[str, float | int]:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"n": 0}
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 50), 1),
        "p95": round(percentile(ms, 95), 1),
        "p99": round(percentile(ms, 99), 1),
        "mean": round(statistics.fmean(ms), 1),
        "max": round(max(ms), 1),
    }


# --------------------------------------------------------------------------------------
# The running system


def create_database(admin_url: str) -> str:
    name = f"recall_bench_gw_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    seed_demo(url)  # migrated, the demo recall and its buyers (as the tests seed it)
    return url


def drop_database(admin_url: str, url: str) -> None:
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Stack:
    database_url: str
    factory: Any
    app_url: str
    rasa_url: str
    rasa_token: str
    sim_url: str
    floor_url: str = ""
    sim_lines: asyncio.StreamReader | None = None
    pids: dict[str, int] = field(default_factory=dict)
    waiters: dict[str, asyncio.Future[float]] = field(default_factory=dict)
    replies: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unexpected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    long_replies: int = 0

    async def read_simulator(self) -> None:
        """Resolve the waiting turn of a phone when the app's reply reaches the simulator."""
        assert self.sim_lines is not None
        while line := await self.sim_lines.readline():
            parts = line.decode().split()
            if not parts or parts[0] != "R":
                continue
            at, phone, direction, length = float(parts[1]), parts[2], parts[3], int(parts[4])
            if direction != "outbound-api":
                continue
            self.replies[phone] += 1
            if length > 1500:
                self.long_replies += 1  # may have been split: a second part would confuse the count
            waiter = self.waiters.pop(phone, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(at)
            else:
                self.unexpected[phone] += 1

    def unprocessed(self) -> int:
        with self.factory() as session:
            return (
                session.scalar(
                    text("SELECT count(*) FROM messages WHERE direction = 'inbound' AND processed_at IS NULL")
                )
                or 0
            )


def rasa_with_twilio_channel(port: int, action_port: int, token: str, model: Path, sim_url: str) -> ChildServer:
    """The project's Rasa server command, with the benchmark's credentials file (REST +
    the stock Twilio channel redirected to the simulator)."""
    extra = {
        "PYTHONPATH": str(SUPPORT),
        "BENCH_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "BENCH_TWILIO_AUTH_TOKEN": TOKEN,
        "BENCH_TWILIO_NUMBER": TWILIO_NUMBER,
        "BENCH_TWILIO_API_URL": sim_url,
    }
    server = rasa_server(port, action_port, token, model, extra_env=extra)
    server.cmd[server.cmd.index("--credentials") + 1] = str(SUPPORT / "credentials.yml")
    server.log_path = LOG_DIR / f"bench-gateway-rasa-{port}.log"
    return server


# --------------------------------------------------------------------------------------
# Load


def webhook_params(phone: str, body: str) -> dict[str, str]:
    sid = "SM" + uuid.uuid4().hex
    return {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": TWILIO_NUMBER,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": phone,
        "FromCountry": "IN",
        "ApiVersion": "2010-04-01",
    }


class Poster:
    """Signed Twilio webhooks and REST turns over keep-alive connections."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.inbound_url = f"{stack.app_url}/twilio/inbound"
        self.twilio_url = f"{stack.rasa_url}/webhooks/twilio/webhook"
        self.rest_url = f"{stack.rasa_url}/webhooks/rest/webhook"
        self.validator = RequestValidator(TOKEN)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        self.http = httpx.AsyncClient(limits=limits, timeout=120, trust_env=False)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def webhook(self, url: str, phone: str, body: str) -> tuple[float, int]:
        """Post one signed inbound-message webhook; (seconds until answered, status)."""
        params = webhook_params(phone, body)
        headers = {"X-Twilio-Signature": self.validator.compute_signature(url, params)}
        start = time.monotonic()
        response = await self.http.post(url, data=params, headers=headers)
        return time.monotonic() - start, response.status_code

    async def gateway_turn(self, phone: str, body: str) -> tuple[float, float]:
        """(start, reply arrival at the simulator) of one turn through the gateway."""
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        self.stack.waiters[phone] = waiter
        start = time.monotonic()
        params = webhook_params(phone, body)
        headers = {"X-Twilio-Signature": self.validator.compute_signature(self.inbound_url, params)}
        response = await self.http.post(self.inbound_url, data=params, headers=headers)
        if response.status_code != 200:
            self.stack.waiters.pop(phone, None)
            raise RuntimeError(f"gateway answered {response.status_code}")
        return start, await asyncio.wait_for(waiter, TURN_TIMEOUT)

    async def rest_turn(self, sender: str, body: str) -> tuple[float, float]:
        start = time.monotonic()
        response = await self.http.post(self.rest_url, json={"sender": sender, "message": body}, timeout=TURN_TIMEOUT)
        if response.status_code != 200:
            raise RuntimeError(f"Rasa answered {response.status_code}")
        return start, time.monotonic()


def stock_customer(factory: Any, phone: str, sender_is_phone: bool) -> str:
    """A customer of the demo recall for a stock path, with its conversation's Rasa
    sender id (the phone itself for the Twilio channel, which uses From as the sender)."""
    sender = run_in_write_transaction(factory, lambda session: open_conversation_safely(session, phone))
    if sender_is_phone:
        with factory.begin() as session:
            session.execute(update(Conversation).where(Conversation.sender_id == sender).values(sender_id=phone))
        sender = phone
    return sender


async def ack_phase(
    stack: Stack, poster: Poster, path: str, customers: int, messages: int, seed: int
) -> dict[str, Any]:
    """Each customer sends `messages` webhooks, one after the other, with a think time."""
    phones = Phones(70 if path == "gateway" else 71)
    url = poster.inbound_url if path == "gateway" else poster.twilio_url
    latencies: list[float] = []
    first: list[float] = []  # a customer's first message: the gateway creates the customer
    later: list[float] = []
    statuses: dict[int, int] = defaultdict(int)
    people = [next(phones) for _ in range(customers)]
    if path == "stock_twilio":
        await asyncio.gather(*(asyncio.to_thread(stock_customer, stack.factory, p, True) for p in people))

    floor: list[float] = []  # the do-nothing endpoint, posted to at the same time

    async def customer(index: int, phone: str, target: str = url, into: list[float] | None = None) -> None:
        rng = random.Random(seed * 1000 + index)
        lines = script(rng)
        # Signed in advance; sent over the customer's own keep-alive connection by the
        # light client (gateway_support/raw_http.py), so that the figure is the server's.
        requests = [
            form_request(target, params, {"X-Twilio-Signature": poster.validator.compute_signature(target, params)})
            for params in (webhook_params(phone, lines[k % len(lines)]) for k in range(messages))
        ]
        connection = Connection(target)
        await asyncio.sleep(rng.uniform(0, 1.0))  # customers do not start in lockstep
        try:
            for k, request in enumerate(requests):
                seconds, status = await connection.send(request)
                if into is not None:
                    into.append(seconds)
                else:
                    latencies.append(seconds)
                    (first if k == 0 else later).append(seconds)
                    statuses[status] += 1
                await asyncio.sleep(rng.uniform(0.5, 1.5))
        finally:
            await connection.close()

    floor_customers = max(1, customers // 5) if path == "gateway" and stack.floor_url else 0
    floor_target = f"{stack.floor_url}/twilio/inbound"
    started_at = time.monotonic()
    await asyncio.gather(
        *(customer(i, p) for i, p in enumerate(people)),
        *(customer(10_000 + i, f"+9169{i:08d}", floor_target, floor) for i in range(floor_customers)),
    )
    sent_seconds = time.monotonic() - started_at
    result = {
        "path": path,
        "customers": customers,
        "messages_each": messages,
        "seconds": round(sent_seconds, 1),
        "statuses": dict(statuses),
        "latency_ms": summary_ms(latencies),
        "first_message_latency_ms": summary_ms(first),
        "later_messages_latency_ms": summary_ms(later),
        "over_15_s": sum(1 for s in latencies if s > TWILIO_WEBHOOK_TIMEOUT),
    }
    if floor:
        result["floor_customers"] = floor_customers
        result["floor_latency_ms"] = summary_ms(floor)
    if path == "gateway":
        drained = await wait_drained(stack)
        result["all_processed_after_s"] = round(time.monotonic() - started_at, 1) if drained else None
        result["replies"] = sum(stack.replies[p] for p in people)
    return result


async def wait_drained(stack: Stack, timeout: float = 300) -> bool:
    """Until the gateway has processed every stored message (and its replies arrived)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(stack.unprocessed) == 0:
            await asyncio.sleep(1.0)
            stack.waiters.clear()
            return True
        await asyncio.sleep(0.5)
    return False


async def turn_block(
    stack: Stack, poster: Poster, path: str, concurrency: int, warmup: float, duration: float, seed: int, prefix: int
) -> dict[str, Any]:
    """A closed loop: `concurrency` customers, each sending its next message once it has
    the previous reply; a customer done with the script starts again as a new one.
    `warmup` seconds, then the turns completed in the next `duration` seconds."""
    phones = Phones(prefix)
    turns: list[tuple[float, float]] = []
    failures: dict[str, int] = defaultdict(int)
    stop = asyncio.Event()
    scripts_started = 0

    async def customer(index: int) -> None:
        nonlocal scripts_started
        rng = random.Random(seed * 1000 + index)
        await asyncio.sleep(rng.uniform(0, 0.5))
        while not stop.is_set():
            phone = next(phones)
            scripts_started += 1
            sender = phone
            if path == "stock_rest":
                sender = await asyncio.to_thread(stock_customer, stack.factory, phone, False)
            for body in script(rng):
                if stop.is_set():
                    return
                try:
                    if path == "gateway":
                        turns.append(await poster.gateway_turn(phone, body))
                    else:
                        turns.append(await poster.rest_turn(sender, body))
                except TimeoutError:
                    failures["timeout"] += 1
                    break  # state unknown: go on as a new customer
                except (httpx.HTTPError, RuntimeError) as exc:
                    failures[type(exc).__name__] += 1
                    break

    unexpected_before, long_before = sum(stack.unexpected.values()), stack.long_replies
    tasks = [asyncio.create_task(customer(i)) for i in range(concurrency)]
    meter = harness.CpuMeter(stack.pids)
    await asyncio.sleep(warmup)
    window_start = time.monotonic()
    meter.start()
    await asyncio.sleep(duration)
    window_end = time.monotonic()
    cpu = meter.stop()
    stop.set()
    await asyncio.gather(*tasks)
    if path == "gateway":
        await wait_drained(stack)
    measured = [e - s for s, e in turns if window_start <= e <= window_end]
    return {
        "path": path,
        "concurrency": concurrency,
        "window_s": window_end - window_start,
        "latencies": measured,
        "failures": dict(failures),
        "customers_started": scripts_started,
        "cpu": cpu,
        # A reply no turn was waiting for (or one long enough to have been split) would
        # mean the turn accounting is off: both should stay 0.
        "stray_replies": sum(stack.unexpected.values()) - unexpected_before,
        "long_replies": stack.long_replies - long_before,
    }


def combine(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from the interleaved blocks of one path at one concurrency."""
    window = sum(b["window_s"] for b in blocks)
    latencies = [x for b in blocks for x in b["latencies"]]
    failures: dict[str, int] = defaultdict(int)
    for b in blocks:
        for k, v in b["failures"].items():
            failures[k] += v
    cores: dict[str, float] = defaultdict(float)
    for b in blocks:
        for k, v in b["cpu"]["cores_used"].items():
            cores[k] += v * b["cpu"]["seconds"] / window
    turns_per_s = len(latencies) / window
    return {
        "path": blocks[0]["path"],
        "concurrency": blocks[0]["concurrency"],
        "blocks": len(blocks),
        "window_s": round(window, 1),
        "turns": len(latencies),
        "turns_per_s": round(turns_per_s, 2),
        "latency_ms": summary_ms(latencies),
        "failures": dict(failures),
        "turns_per_s_by_block": [round(len(b["latencies"]) / b["window_s"], 2) for b in blocks],
        "machine_busy_by_block": [b["cpu"]["machine_busy"] for b in blocks],
        "cores_used": {k: round(v, 2) for k, v in cores.items()},
        "cpu_ms_per_turn": {k: round(1000 * v / turns_per_s, 1) for k, v in cores.items()} if turns_per_s else {},
        "customers_started": sum(b["customers_started"] for b in blocks),
        "stray_replies": sum(b["stray_replies"] for b in blocks),
        "long_replies": sum(b["long_replies"] for b in blocks),
    }


async def warm_up(stack: Stack, poster: Poster) -> None:
    """One whole conversation on each path (loads Rasa's and the actions' lazy parts)."""
    rng = random.Random(7)
    lines = script(rng)
    phone = "+917299999001"
    sender = await asyncio.to_thread(stock_customer, stack.factory, "+917299999002", False)
    for body in lines:
        await poster.gateway_turn(phone, body)
        await poster.rest_turn(sender, body)
    twilio_phone = "+917299999003"
    await asyncio.to_thread(stock_customer, stack.factory, twilio_phone, True)
    for body in lines[:3]:
        await poster.webhook(poster.twilio_url, twilio_phone, body)
    await wait_drained(stack)


# --------------------------------------------------------------------------------------
# Report


def fmt(value: Any) -> str:
    return "–" if value is None else (f"{value:,.1f}" if isinstance(value, float) else str(value))


def tables(result: dict[str, Any]) -> str:
    lines = [
        "| webhook answered by | webhooks | p50 ms | p95 ms | p99 ms | max ms | held > 15 s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = {"gateway": "gateway (`/twilio/inbound`)", "stock_twilio": "stock Rasa Twilio channel"}
    for row in result["ack"]:
        lat = row["latency_ms"]
        lines.append(
            f"| {names[row['path']]} | {lat['n']} | {fmt(lat['p50'])} | {fmt(lat['p95'])} | "
            f"{fmt(lat['p99'])} | {fmt(lat['max'])} | {row['over_15_s']} |"
        )
        if "floor_latency_ms" in row:
            lat = row["floor_latency_ms"]
            lines.append(
                f"| — at the same time: a do-nothing endpoint (floor, {row['floor_customers']} customers) | "
                f"{lat['n']} | {fmt(lat['p50'])} | {fmt(lat['p95'])} | {fmt(lat['p99'])} | "
                f"{fmt(lat['max'])} | |"
            )
    lines += [
        "",
        "| customers | path | turns/s | p50 ms | p95 ms | p99 ms | turns | failures | gateway / stock |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = {"gateway": "gateway → Twilio (sim)", "stock_rest": "stock Rasa REST"}
    for row in result["turns"]:
        lat = row["latency_ms"]
        ratio = result["ratios"].get(str(row["concurrency"])) if row["path"] == "gateway" else None
        lines.append(
            f"| {row['concurrency']} | {names[row['path']]} | {row['turns_per_s']:.2f} | {fmt(lat.get('p50'))} | "
            f"{fmt(lat.get('p95'))} | {fmt(lat.get('p99'))} | {row['turns']} | "
            f"{sum(row['failures'].values())} | {'' if ratio is None else f'{ratio:.2f}×'} |"
        )
    lines += [
        "",
        "| customers | path | machine busy | Rasa | action server | app | simulator | PostgreSQL | load generator |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["turns"]:
        cores = row["cores_used"]
        busy = statistics.fmean(row["machine_busy_by_block"])
        lines.append(
            f"| {row['concurrency']} | {names[row['path']]} | {busy:.0%} | "
            + " | ".join(
                f"{cores.get(k, 0):.2f}"
                for k in ("rasa", "action server", "app", "simulator", "postgres (all)", "load generator")
            )
            + " |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------


async def run(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    reader = asyncio.create_task(stack.read_simulator())
    poster = Poster(stack)
    try:
        print("warm-up: one conversation per path", flush=True)
        await warm_up(stack, poster)
        ack = []
        ack_paths = [p for p in ("gateway", "stock_twilio") if ("stock" if p != "gateway" else p) in args.paths]
        for path in ack_paths if "ack" in args.phases else ():
            print(f"webhooks: {path}, {args.ack_customers} customers x {args.ack_messages} messages", flush=True)
            meter = harness.CpuMeter(stack.pids)
            meter.start()
            row = await ack_phase(stack, poster, path, args.ack_customers, args.ack_messages, seed=11)
            row["cpu"] = meter.stop()
            print(
                f"  {row['latency_ms']}" + (f"; floor {row['floor_latency_ms']}" if "floor_latency_ms" in row else ""),
                flush=True,
            )
            ack.append(row)
        turns = []
        prefixes = iter(range(72, 99))
        paths = [p for p in ("gateway", "stock_rest") if ("stock" if p != "gateway" else p) in args.paths]
        block_s = args.duration / args.rounds
        for concurrency in args.concurrency if "turns" in args.phases else ():
            blocks: dict[str, list[dict[str, Any]]] = defaultdict(list)
            # A B B A ...: the paths take turns, so that drift in the machine's other load
            # falls on both alike.
            order = [p for r in range(args.rounds) for p in (paths if r % 2 == 0 else paths[::-1])]
            for n, path in enumerate(order):
                print(
                    f"turns: {path} at {concurrency} customers, block {n + 1}/{len(order)} "
                    f"({args.warmup:.0f} s + {block_s:.0f} s)",
                    flush=True,
                )
                block = await turn_block(
                    stack, poster, path, concurrency, args.warmup, block_s, seed=23 + n, prefix=next(prefixes)
                )
                print(
                    f"  {len(block['latencies']) / block['window_s']:.2f} turns/s, "
                    f"{summary_ms(block['latencies'])}, failures {block['failures']}, "
                    f"machine busy {block['cpu']['machine_busy']:.0%}",
                    flush=True,
                )
                blocks[path].append(block)
            turns += [combine(blocks[p]) for p in paths]
        ratios = {}
        for concurrency in args.concurrency:
            by_path = {r["path"]: r for r in turns if r["concurrency"] == concurrency}
            if len(by_path) == 2 and by_path["stock_rest"]["turns_per_s"]:
                ratios[str(concurrency)] = round(
                    by_path["gateway"]["turns_per_s"] / by_path["stock_rest"]["turns_per_s"], 3
                )
        return {"ack": ack, "turns": turns, "ratios": ratios}
    finally:
        await poster.aclose()
        reader.cancel()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=DEFAULT_PG, help="admin URL; a fresh database is made on it")
    parser.add_argument("--model", type=Path, help="default: the newest model in models/")
    parser.add_argument("--ack-customers", type=int, default=50)
    parser.add_argument("--ack-messages", type=int, default=10)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--warmup", type=float, default=8.0, help="seconds before each measured block")
    parser.add_argument(
        "--duration",
        type=float,
        default=80.0,
        help="measured seconds per path and concurrency, split over --rounds blocks",
    )
    parser.add_argument("--rounds", type=int, default=4, help="blocks per path and concurrency, interleaved A B B A")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--phases", nargs="+", choices=["ack", "turns"], default=["ack", "turns"])
    parser.add_argument(
        "--paths",
        nargs="+",
        choices=["gateway", "stock"],
        default=["gateway", "stock"],
        help="which paths to measure (investigations)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="investigations: run the app and the simulator at this nice level (lower "
        "priority than Rasa), to see how much of the gap is CPU contention",
    )
    parser.add_argument(
        "--profile-app",
        type=Path,
        metavar="FILE",
        help="investigations: run the app with gateway_support/instrumented_serve.py and "
        "write its timers and stack samples to FILE (slows the app down)",
    )
    args = parser.parse_args()
    command = shlex.join([".venv/bin/python", "benchmarks/bench_gateway.py", *sys.argv[1:]])
    model = args.model or latest_model() or train_model()
    info = harness.machine(**harness.rasa_versions())
    print(f"model {model.name}; machine {info['cores']} x {info['cpu']}; load {info['loadavg_at_start']}", flush=True)

    database_url = create_database(args.postgres)
    app_port, action_port, rasa_port = free_port(), free_port(), free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    sim_config = {
        "account_sid": ACCOUNT_SID,
        "auth_token": TOKEN,
        "sms_number": TWILIO_NUMBER,
        "inbound_url": f"{app_url}/twilio/inbound",
        "read_delay": -1,
    }
    token = secrets.token_urlsafe(16)
    engine = make_engine(database_url)
    try:
        # The simulator stands in for Twilio's servers, which are not on this machine: it
        # gets the background processes' priority (BACKGROUND_NICE), below the web app's.
        with harness.simulator(sim_config, nice=args.nice or BACKGROUND_NICE) as (sim, sim_url):
            actions = action_server(action_port, database_url)
            rasa = rasa_with_twilio_channel(rasa_port, action_port, token, model, sim_url)
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "RASA_URL": f"http://127.0.0.1:{rasa_port}",
                "RASA_TOKEN": token,
                "ACTION_SERVER_PORT": str(action_port),
                "TWILIO_API_URL": sim_url,
                "TWILIO_AUTH_TOKEN": TOKEN,
                "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
                "TWILIO_SMS_FROM": TWILIO_NUMBER,
                "PUBLIC_BASE_URL": app_url,
            }
            serve = ["-m", "bot.cli.main", "serve"]
            if args.profile_app:
                serve = [str(SUPPORT / "instrumented_serve.py")]
                env["BENCH_PROFILE_OUT"] = str(args.profile_app.resolve())
            app = harness.server(
                "app",
                [sys.executable, *serve, "--port", str(app_port)],
                app_port,
                env,
                log=f"bench-gateway-app-{app_port}.log",
                nice=args.nice,
            )
            floor_port = free_port()
            floor = harness.server(
                "floor app",
                [sys.executable, str(SUPPORT / "floor_app.py"), str(floor_port)],
                floor_port,
                dict(os.environ),
                log=f"bench-gateway-floor-{floor_port}.log",
            )
            with harness.running(actions, rasa), harness.running(app, floor, timeout=60):
                assert app.process and rasa.process and actions.process
                pids = {
                    "app": app.process.pid,
                    "rasa": rasa.process.pid,
                    "action server": actions.process.pid,
                    "simulator": sim.pid,
                    "load generator": os.getpid(),
                }
                stack = Stack(
                    database_url,
                    make_session_factory(engine),
                    app_url,
                    f"http://127.0.0.1:{rasa_port}",
                    token,
                    sim_url,
                    floor_url=f"http://127.0.0.1:{floor_port}",
                    pids=pids,
                )

                async def go() -> dict[str, Any]:
                    # The simulator's further lines, read by asyncio from the same pipe.
                    stack.sim_lines = asyncio.StreamReader(limit=1 << 20)
                    await asyncio.get_running_loop().connect_read_pipe(
                        lambda: asyncio.StreamReaderProtocol(stack.sim_lines), sim.stdout
                    )
                    return await run(stack, args)

                figures = asyncio.run(go())
    finally:
        engine.dispose()
        drop_database(args.postgres, database_url)

    result = {
        "benchmark": "gateway (issue 4)",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "command": command,
        "machine": {**info, "loadavg_at_end": harness.loadavg()},
        "model": model.name,
        "database": "postgresql (fresh database on the local server)",
        "settings": {
            "ack_customers": args.ack_customers,
            "ack_messages": args.ack_messages,
            "ack_think_s": [0.5, 1.5],
            "concurrency": args.concurrency,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "nice_app_and_simulator": args.nice,
            "turn_timeout_s": TURN_TIMEOUT,
            "script": script(random.Random(1)),
        },
        **figures,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print()
    print(tables(result))
    print(f"\nraw figures: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
