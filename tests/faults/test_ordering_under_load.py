"""Ordering under load (issue 8, item 5): 200 customers at once, each sending 5 messages
in quick succession (signed webhooks, each sent as soon as the previous one was
acknowledged, without waiting for a reply), through the whole stack as `recall up` runs
it with RASA_REPLICAS=2 and GATEWAY_WORKERS=2: two Rasa servers sharing the SQL tracker
store (PostgreSQL) and the Redis lock store, two gateway workers with their advisory
locks. Every customer's messages must be processed in the order they were sent, none
lost or doubled — checked three ways:

- the app: each message stored once, in send order, and processed (`processed_at`) in
  that order; each answered, the replies reaching Twilio (the simulator) in that order
  (tests/faults/accounting.py: sent, acknowledged, stored, answered, lost, doubled,
  reordered);
- Rasa: the user events of each conversation in the shared tracker store carry the
  app's message ids (`gateway_message_id`) exactly once each, in send order;
- the spread: both Rasa replicas and both workers did a share of the work (CPU time).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise

import httpx
import pytest
import redis
from sqlalchemy import text
from twilio.request_validator import RequestValidator

from bot.db import make_engine
from bot.deployment import tracker_database_url
from tests.e2e.stack import TOKEN, Stack, running_stack
from tests.faults.accounting import figures, wait_all_processed
from tests.faults.processes import children, cpu_seconds
from tests.support.demo import seed_demo

pytestmark = [pytest.mark.faults, pytest.mark.rasa, pytest.mark.postgres]

CUSTOMERS = 200
REPLICAS = 2
WORKERS = 2
REDIS_URL = "redis://127.0.0.1:6379/5"
ADDRESS = "Flat 4B, Rose Villa, Baner Road, Pune 411045"


def _bodies(n: int, rng: random.Random) -> list[str]:
    """A customer's five messages (each answered by the bot): greeting, an affected
    serial, a question inside the form, a remedy, the address."""
    serial = f"AR26{'CDEFG'[n % 5]}{700_000 + n:06d}"
    return [
        rng.choice(["hi", "hello", "Hi, I got your message about my fridge"]),
        rng.choice([serial, f"my serial is {serial}", f"serial: {serial[:4]}-{serial[4]}-{serial[5:]}"]),
        rng.choice(["is it safe?", "is it safe to keep using the fridge?"]),
        rng.choice(["1", "repair"]),
        ADDRESS,
    ]


@pytest.fixture(scope="module")
def replicated_stack(rasa_model) -> Iterator[Stack]:
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"needs Redis at {REDIS_URL} (Rasa's lock store): {exc}")
    finally:
        client.close()
    with running_stack(
        rasa_model, seed_demo, rasa_replicas=REPLICAS, gateway_workers=WORKERS, redis_url=REDIS_URL
    ) as stack:
        yield stack


# ------------------------------------------------------------------------- CPU per process


def _processes(stack: Stack) -> dict[str, int]:
    assert stack.app.process is not None
    named = {f"rasa {i + 1}": server.process.pid for i, server in enumerate(stack.rasa_servers) if server.process}
    named.update({f"worker {i + 1}": pid for i, pid in enumerate(children(stack.app.process.pid))})
    return named


# ------------------------------------------------------------------------- the load


async def _send_all(stack: Stack, seed: int = 2026) -> tuple[list[dict], float]:
    """Every customer at once; each sends its five messages one after the other, the next
    as soon as the previous webhook was answered (0-50 ms apart). Returns one dict per
    message, in send order per customer, and how long sending took."""
    url = f"{stack.app.url}/twilio/inbound"
    validator = RequestValidator(TOKEN)
    per_phone: dict[str, list[dict]] = {}

    async def customer(client: httpx.AsyncClient, n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        phone = f"+9196{n:08d}"
        sent = per_phone.setdefault(phone, [])
        await asyncio.sleep(rng.uniform(0, 1.0))  # customers do not start in lockstep
        for k, body in enumerate(_bodies(n, rng)):
            sid = f"SM{n:08d}{k:02d}" + "0" * 22
            form = {
                "MessageSid": sid,
                "SmsMessageSid": sid,
                "AccountSid": stack.sim.config.account_sid,
                "From": phone,
                "To": "+15005550006",
                "Body": body,
                "NumMedia": "0",
            }
            headers = {"X-Twilio-Signature": validator.compute_signature(url, form)}
            try:
                status = (await client.post(url, data=form, headers=headers)).status_code
            except httpx.HTTPError as exc:
                sent.append({"phone": phone, "sid": None, "status": 0, "error": repr(exc)})
                continue
            sent.append({"phone": phone, "sid": sid, "status": status, "body": body})
            await asyncio.sleep(rng.uniform(0, 0.05))

    limits = httpx.Limits(max_connections=CUSTOMERS, max_keepalive_connections=CUSTOMERS)
    started = time.monotonic()
    async with httpx.AsyncClient(limits=limits, timeout=30, trust_env=False) as client:
        await asyncio.gather(*(customer(client, n) for n in range(CUSTOMERS)))
    sending = time.monotonic() - started
    return [m for phone in sorted(per_phone) for m in per_phone[phone]], sending


# ------------------------------------------------------------------------- the checks


def _app_order(stack: Stack, sent: list[dict]) -> dict[str, int]:
    """Per customer, from the app's database: stored in send order (ids increasing) and
    processed in that order (`processed_at`)."""
    by_phone: dict[str, list[str]] = defaultdict(list)
    for m in sent:
        if m["sid"]:
            by_phone[m["phone"]].append(m["sid"])
    with stack.db() as s:
        rows = s.execute(
            text("SELECT twilio_sid, id, created_at, processed_at FROM messages WHERE twilio_sid = ANY(:sids)"),
            {"sids": [sid for sids in by_phone.values() for sid in sids]},
        ).all()
    row = {r.twilio_sid: r for r in rows}
    stored_out_of_order = processed_out_of_order = queued = 0
    for sids in by_phone.values():
        mine = [row[sid] for sid in sids if sid in row]
        ids = [r.id for r in mine]
        stored_out_of_order += sum(1 for a, b in pairwise(ids) if b < a)
        done = [r.processed_at for r in mine]
        processed_out_of_order += sum(1 for a, b in pairwise(done) if a is None or b is None or b < a)
        # stored while the customer's previous message was still waiting for its turn:
        # the order had to be kept by the gateway, not by the customer's pace
        queued += sum(1 for a, b in pairwise(mine) if a.processed_at is None or b.created_at < a.processed_at)
    return {
        "stored_out_of_send_order": stored_out_of_order,
        "processed_out_of_send_order": processed_out_of_order,
        "stored_before_previous_answered": queued,
    }


def _rasa_order(stack: Stack, sent: list[dict]) -> dict[str, int]:
    """Per customer, from Rasa's shared tracker store: the conversation's user events
    carry the app's message ids exactly once each, in send order, all in one
    conversation."""
    assert stack.settings is not None
    with stack.db() as s:
        ids = dict(
            s.execute(
                text("SELECT twilio_sid, id FROM messages WHERE twilio_sid = ANY(:sids)"),
                {"sids": [m["sid"] for m in sent if m["sid"]]},
            ).all()
        )
    expected: dict[str, list[int]] = defaultdict(list)
    for m in sent:
        if m["sid"] in ids:
            expected[m["phone"]].append(ids[m["sid"]])
    tracker = make_engine(tracker_database_url(stack.settings).render_as_string(hide_password=False))
    try:
        with tracker.connect() as conn:
            events = conn.execute(text("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id")).all()
    finally:
        tracker.dispose()
    turns: dict[str, list[int]] = defaultdict(list)
    sender_of: dict[int, set[str]] = defaultdict(set)
    for sender_id, data in events:
        message_id = (json.loads(data).get("metadata") or {}).get("gateway_message_id")
        if message_id is not None:
            turns[sender_id].append(message_id)
            sender_of[message_id].add(sender_id)
    missing = doubled = reordered = split = 0
    for message_ids in expected.values():
        senders = set().union(*(sender_of.get(i, set()) for i in message_ids))
        split += max(0, len(senders) - 1)  # a customer's turns in more than one conversation
        seen = [i for sender in senders for i in turns[sender]]
        counts = Counter(seen)
        missing += sum(1 for i in message_ids if not counts[i])
        doubled += sum(c - 1 for c in counts.values() if c > 1)
        reordered += sum(1 for a, b in pairwise(seen) if b < a)
    return {
        "rasa_user_turns": sum(len(v) for v in turns.values()),
        "rasa_missing": missing,
        "rasa_doubled": doubled,
        "rasa_reordered": reordered,
        "rasa_split_conversations": split,
    }


def test_200_customers_5_messages_each_through_2_replicas_all_in_order(replicated_stack, record_figures):
    stack = replicated_stack
    assert len(stack.rasa_servers) == REPLICAS
    processes = _processes(stack)
    assert sum(name.startswith("worker") for name in processes) == WORKERS, processes
    cpu_before = {name: cpu_seconds(pid) for name, pid in processes.items()}

    started = time.monotonic()
    sent, sending_s = asyncio.run(_send_all(stack))
    pending = wait_all_processed(stack, [m["sid"] for m in sent if m["sid"]], timeout=300)
    all_processed_s = time.monotonic() - started
    cpu = {name: round(cpu_seconds(pid) - cpu_before[name], 1) for name, pid in processes.items()}

    result = figures(stack, sent)
    result.update(_app_order(stack, sent))
    result.update(_rasa_order(stack, sent))
    rasa_cpu = {k: v for k, v in cpu.items() if k.startswith("rasa")}
    result.update(
        {
            "customers": CUSTOMERS,
            "messages_each": 5,
            "rasa_replicas": REPLICAS,
            "gateway_workers": WORKERS,
            "sending_seconds": round(sending_s, 1),
            "all_processed_seconds": round(all_processed_s, 1),
            "turns_per_s": round(result["stored"] / all_processed_s, 1),
            "cpu_seconds": cpu,
        }
    )
    record_figures("ordering_200x5_two_replicas", result)

    assert pending == 0
    assert result["sent"] == CUSTOMERS * 5
    assert result["acknowledged"] == result["stored"] == result["answered"] == result["sent"], result
    assert (result["lost"], result["doubled"], result["reordered"]) == (0, 0, 0), result
    assert (result["stored_out_of_send_order"], result["processed_out_of_send_order"]) == (0, 0), result
    # The order was the gateway's to keep: most messages arrived while the customer's
    # previous one still waited for its turn.
    assert result["stored_before_previous_answered"] >= CUSTOMERS, result
    assert (
        result["rasa_missing"],
        result["rasa_doubled"],
        result["rasa_reordered"],
        result["rasa_split_conversations"],
    ) == (0, 0, 0, 0), result
    # Both replicas served a real share of the turns (the gateway spreads them).
    total = sum(rasa_cpu.values())
    assert total > 0 and min(rasa_cpu.values()) > 0.2 * total, rasa_cpu
