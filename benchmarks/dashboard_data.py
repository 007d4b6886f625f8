"""A recall's worth of data for the dashboard benchmark (issue 7): one campaign with N
customers at every stage of the funnel, their units, outreach, conversations, bookings,
requests, escalations, feedback and opt-outs, and exactly M messages.

    .venv/bin/python benchmarks/dashboard_data.py DATABASE_URL [--customers 100000] [--messages 1000000]

The database must be migrated and hold the campaign (the demo recall by default; the
benchmark uses `bench_import.fresh_database`). Rows are generated in Python from a seeded
random generator and streamed: on PostgreSQL with COPY (psycopg), on SQLite with
executemany (the tests run it there with a small N). Ids are assigned here (after the
largest id already present) and the PostgreSQL sequences are moved past them.

The shape, as shares of all customers (defaults; each stage a subset of the one before):
units ~85% affected; notified ~98% (WhatsApp for the ~40% who opted in, SMS otherwise),
delivered ~95%, replied ~60%, verified ~50%, remedy chosen ~45% (repair 70%, replacement
20%, refund 10%), completed ~30%; escalations ~3%; feedback asked on every completion,
~70% answered, ~30% of answers with a comment; ~1% opted out. Stage times spread over the
last `days` days before `now`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, select, text

from bot.models import (
    Booking,
    Campaign,
    Conversation,
    Customer,
    Escalation,
    Feedback,
    Message,
    OptOut,
    OutreachAttempt,
    RemedyRequest,
    ServiceSlot,
    Unit,
)

DEMO_SLUG = "arctica-ff260-valve-2026"
UTC = dt.UTC
TWILIO_NUMBER = "+15005550006"
REASONS = [
    ("complain", "high", 40),
    ("request_human", "normal", 30),
    ("serial_failed", "normal", 12),
    ("report_hazard", "urgent", 8),
    ("not_understood", "normal", 6),
    ("no_free_slots", "normal", 3),
    ("system_error", "high", 1),
]
SCORES = [1, 2, 3, 4, 5]
SCORE_WEIGHTS = [4, 6, 12, 33, 45]
COMMENTS = [
    "Technician was on time and polite.",
    "Took two visits, but it works now.",
    "Fridge cools again, thank you!",
    "Nobody told me the visit was moved.",
    "Fine.",
    "Great service, = better than expected",
    "Replacement arrived quickly.",
    "Refund took a while.",
    "Very happy with the repair",
    "The technician forgot the part.",
]
FIRST = ["Asha", "Ravi", "Priya", "Arjun", "Meera", "Vikram", "Neha", "Rahul", "Kavya", "Sanjay", "Anita", "Rohan"]
LAST = ["Rao", "Sharma", "Iyer", "Patel", "Nair", "Gupta", "Reddy", "Menon", "Singh", "Das", "Joshi", "Kulkarni"]


@dataclass
class Plan:
    """One generated customer, as far as the other tables need to know."""

    id: int
    phone: str
    whatsapp: bool
    channel: str  # the channel the notice went out on
    reply_channel: str  # the channel of their inbound messages
    notified: dt.datetime | None
    delivered: dt.datetime | None
    replied: dt.datetime | None
    verified: dt.datetime | None
    affected: bool
    remedy: str | None
    completed: dt.datetime | None
    reminders: int = 0
    conversation: int = 0  # messages in the conversation after the notice
    notice_failed: bool = False
    message_ids: list[int] = field(default_factory=list)


def _next_id(engine: Engine, model: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) + 1


class Writer:
    """Rows in, table out: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.counts: dict[str, int] = {}

    def write(self, table: Any, columns: list[str], rows: Iterable[tuple]) -> None:
        name = table.__tablename__
        n = 0
        if self.postgres:
            raw = self.engine.raw_connection()
            try:
                conn = raw.driver_connection
                with conn.cursor() as cur, cur.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        n += 1
                conn.commit()
            finally:
                raw.close()
        else:
            stmt = table.__table__.insert()
            batch: list[dict[str, Any]] = []
            json_columns = {"media", "detail"}
            with self.engine.begin() as conn:
                for row in rows:
                    record = dict(zip(columns, row, strict=True))
                    for key in json_columns & record.keys():
                        if isinstance(record[key], str):
                            record[key] = json.loads(record[key])
                    batch.append(record)
                    n += 1
                    if len(batch) >= 5000:
                        conn.execute(stmt, batch)
                        batch = []
                if batch:
                    conn.execute(stmt, batch)
        self.counts[name] = self.counts.get(name, 0) + n


def _at(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    span = max((end - start).total_seconds(), 1.0)
    return start + dt.timedelta(seconds=rng.random() * span)


def _plans(rng: random.Random, n: int, first_id: int, now: dt.datetime, days: int) -> list[Plan]:
    start = now - dt.timedelta(days=days)
    plans = []
    for i in range(n):
        whatsapp = rng.random() < 0.40
        r = rng.random()  # how far down the funnel this customer goes
        notified = _at(rng, start, now - dt.timedelta(hours=2)) if r < 0.98 else None
        delivered = replied = verified = completed = None
        affected = rng.random() < (0.90 if r < 0.50 else 0.76)  # ~85% overall
        remedy = None
        if notified and r < 0.95:
            delivered = min(notified + dt.timedelta(seconds=rng.randint(2, 120)), now)
        if delivered and r < 0.60:
            replied = _at(rng, delivered, min(delivered + dt.timedelta(days=3), now))
        if replied and r < 0.50:
            verified = min(replied + dt.timedelta(minutes=rng.randint(1, 30)), now)
            if affected:
                remedy = rng.choices(["repair", "replacement", "refund"], [70, 20, 10])[0]
        if remedy and r < 1 / 3:  # remedy: r < 0.5 and 90% affected; completed: ~30% of all
            completed = _at(rng, verified, min(verified + dt.timedelta(days=10), now))
        reply_channel = "whatsapp" if whatsapp and rng.random() < 0.9 else "sms"
        plans.append(
            Plan(
                id=first_id + i,
                phone=f"+91{7000000000 + first_id + i}",
                whatsapp=whatsapp,
                channel="whatsapp" if whatsapp else "sms",
                reply_channel=reply_channel,
                notified=notified,
                delivered=delivered,
                replied=replied,
                verified=verified,
                affected=affected,
                remedy=remedy,
                completed=completed,
                reminders=(rng.choice([0, 1, 1, 2]) if notified and not replied else 0),
                notice_failed=notified is None and rng.random() < 0.7,
            )
        )
    return plans


def generate(
    engine: Engine,
    *,
    customers: int = 100_000,
    messages: int = 1_000_000,
    slug: str = DEMO_SLUG,
    seed: int = 2026,
    now: dt.datetime | None = None,
    days: int = 45,
) -> dict[str, int]:
    """Write the data set; returns rows written per table."""
    rng = random.Random(seed)
    now = now or dt.datetime.now(UTC).replace(microsecond=0)
    with engine.connect() as conn:
        campaign_id = conn.scalar(select(Campaign.id).where(Campaign.slug == slug))
    if campaign_id is None:
        raise SystemExit(f"no campaign {slug!r} in the database")
    w = Writer(engine)
    plans = _plans(rng, customers, _next_id(engine, Customer), now, days)

    # Messages: the notice and reminders for whoever got them, then a conversation for
    # whoever replied, sized so that the total is exactly `messages`.
    outreach_messages = sum((1 if p.notified or p.notice_failed else 0) + p.reminders for p in plans)
    talkers = [p for p in plans if p.replied]
    budget = max(messages - outreach_messages, 0)
    if talkers:
        weights = [rng.uniform(0.3, 1.7) * (1.6 if p.completed else 1.0) for p in talkers]
        total_w = sum(weights)
        given = 0
        for p, wgt in zip(talkers, weights, strict=True):
            p.conversation = max(int(budget * wgt / total_w), 1 if budget > given else 0)
            given += p.conversation
        k = 0
        while given != budget:  # rounding: spread the rest one by one
            step = 1 if given < budget else -1
            p = talkers[k % len(talkers)]
            if step > 0 or p.conversation > 1:
                p.conversation += step
                given += step
            k += 1
    next_message = _next_id(engine, Message)
    for p in plans:
        count = (1 if p.notified or p.notice_failed else 0) + p.reminders + p.conversation
        p.message_ids = list(range(next_message, next_message + count))
        next_message += count

    w.write(
        Customer,
        [
            "id",
            "campaign_id",
            "phone",
            "name",
            "whatsapp_opt_in",
            "address",
            "postcode",
            "timezone",
            "source",
            "created_at",
            "updated_at",
            "notified_at",
            "notified_channel",
            "delivered_at",
            "replied_at",
            "verified_at",
            "verification",
            "remedy",
            "completed_at",
            "sms_unreachable",
            "whatsapp_unreachable",
        ],
        (
            (
                p.id,
                campaign_id,
                p.phone,
                f"{FIRST[p.id % len(FIRST)]} {LAST[(p.id // 7) % len(LAST)]}",
                p.whatsapp,
                f"{p.id % 900 + 1} MG Road, Pune",
                f"4110{p.id % 100:02d}" if p.id % 3 else "560001",
                None,
                "import",
                now - dt.timedelta(days=days + 1),
                now,
                p.notified,
                p.channel if p.notified else None,
                p.delivered,
                p.replied,
                p.verified,
                ("affected" if p.affected else "not_affected") if p.verified else None,
                p.remedy,
                p.completed,
                p.notice_failed and not p.whatsapp,
                p.notice_failed and p.whatsapp,
            )
            for p in plans
        ),
    )
    first_unit = _next_id(engine, Unit)
    w.write(
        Unit,
        [
            "id",
            "campaign_id",
            "serial",
            "model",
            "affected",
            "customer_id",
            "purchase_date",
            "price",
            "retailer",
            "verified_at",
            "remedy",
            "completed_at",
            "disposition",
            "disposition_at",
            "created_at",
            "updated_at",
        ],
        (
            (
                first_unit + i,
                campaign_id,
                f"AR26{'CDEFG'[p.id % 5] if p.affected else 'AB'[p.id % 2]}{p.id % 1000000:06d}",
                "FF260",
                p.affected,
                p.id,
                dt.date(2026, 3 + p.id % 5, 1 + p.id % 28),
                42990,
                "Croma",
                # one unit per customer: its own state is the customer's (as migration 0006
                # fills it); ~1% of the affected units that replied unverified are out of reach
                p.verified,
                p.remedy,
                p.completed,
                _disposition(p),
                p.replied if _disposition(p) else None,
                now - dt.timedelta(days=days + 1),
                now,
            )
            for i, p in enumerate(plans)
        ),
    )

    first_conv = _next_id(engine, Conversation)
    w.write(
        Conversation,
        [
            "id",
            "customer_id",
            "sender_id",
            "last_channel",
            "last_inbound_at",
            "whatsapp_last_inbound_at",
            "last_outbound_at",
            "bot_paused",
            "serial_failures",
            "created_at",
        ],
        (
            (
                first_conv + i,
                p.id,
                f"gen-{p.id}",
                p.reply_channel,
                p.replied,
                p.replied if p.reply_channel == "whatsapp" else None,
                p.replied,
                False,
                0,
                p.replied,
            )
            for i, p in enumerate(talkers)
        ),
    )

    # Service slots: two a day per region over the whole period and two weeks ahead.
    slot_ids: list[int] = []
    slot_rows = []
    first_slot = _next_id(engine, ServiceSlot)
    day0 = (now - dt.timedelta(days=days)).replace(hour=3, minute=30, second=0, microsecond=0)
    for d in range(days + 15):
        for prefix in ("4110", ""):
            for h in (0, 5):
                sid = first_slot + len(slot_rows)
                starts = day0 + dt.timedelta(days=d, hours=h)
                slot_rows.append([sid, campaign_id, prefix, starts, starts + dt.timedelta(hours=4), 1_000_000, 0])
                slot_ids.append(sid)
    booked_per_slot: dict[int, int] = {}

    requests, bookings = [], []
    first_request, first_booking = _next_id(engine, RemedyRequest), _next_id(engine, Booking)
    for p in plans:
        if p.remedy is None:
            continue
        assert p.verified is not None
        created = min(p.verified + dt.timedelta(minutes=rng.randint(1, 60)), now)
        request_id = None
        if p.remedy in ("replacement", "refund"):
            request_id = first_request + len(requests)
            status = "done" if p.completed else rng.choice(["requested", "scheduled", "cancelled"])
            requests.append(
                (
                    request_id,
                    f"{'RF' if p.remedy == 'refund' else 'RQ'}-{request_id:06d}",
                    campaign_id,
                    p.id,
                    p.remedy,
                    status,
                    42990 if p.remedy == "refund" else None,
                    created,
                    created,
                    p.completed,
                )
            )
        if p.remedy == "repair" or (p.remedy == "replacement" and rng.random() < 0.6):
            kind = "repair" if p.remedy == "repair" else "pickup"
            if rng.random() < 0.1:  # an earlier, rescheduled booking
                sid = rng.choice(slot_ids)
                bookings.append(
                    (
                        first_booking + len(bookings),
                        f"RP-{first_booking + len(bookings):06d}",
                        campaign_id,
                        p.id,
                        sid,
                        request_id,
                        kind,
                        "rescheduled",
                        created,
                        created,
                        None,
                    )
                )
            status = "completed" if p.completed else rng.choices(["booked", "cancelled", "failed"], [85, 10, 5])[0]
            sid = rng.choice(slot_ids)
            if status == "booked":
                booked_per_slot[sid] = booked_per_slot.get(sid, 0) + 1
            bookings.append(
                (
                    first_booking + len(bookings),
                    f"RP-{first_booking + len(bookings):06d}",
                    campaign_id,
                    p.id,
                    sid,
                    request_id,
                    kind,
                    status,
                    created,
                    created,
                    p.completed,
                )
            )
    for row in slot_rows:
        row[6] = booked_per_slot.get(row[0], 0)
    w.write(
        ServiceSlot,
        ["id", "campaign_id", "postcode_prefix", "starts_at", "ends_at", "capacity", "booked"],
        (tuple(r) for r in slot_rows),
    )
    w.write(
        RemedyRequest,
        [
            "id",
            "reference",
            "campaign_id",
            "customer_id",
            "kind",
            "status",
            "amount",
            "created_at",
            "updated_at",
            "completed_at",
        ],
        iter(requests),
    )
    w.write(
        Booking,
        [
            "id",
            "reference",
            "campaign_id",
            "customer_id",
            "slot_id",
            "request_id",
            "kind",
            "status",
            "created_at",
            "updated_at",
            "completed_at",
        ],
        iter(bookings),
    )

    def message_rows() -> Iterator[tuple]:
        for p in plans:
            ids = iter(p.message_ids)
            if p.notified or p.notice_failed:
                at = p.notified or now - dt.timedelta(days=rng.randint(1, days))
                status = "failed" if p.notice_failed else ("delivered" if p.delivered else "sent")
                yield (
                    next(ids),
                    p.id,
                    "outbound",
                    p.channel,
                    "outreach",
                    f"SMO{p.id:012d}n",
                    TWILIO_NUMBER,
                    p.phone,
                    "Important safety notice about your Arctica FrostFree 260L refrigerator ...",
                    status,
                    1 if p.channel == "sms" else None,
                    at,
                    None,
                )
            for r in range(p.reminders):
                at = (p.notified or now) + dt.timedelta(days=3 * (r + 1))
                yield (
                    next(ids),
                    p.id,
                    "outbound",
                    p.channel,
                    "outreach",
                    f"SMO{p.id:012d}r{r}",
                    TWILIO_NUMBER,
                    p.phone,
                    "A reminder about the recall of your refrigerator ...",
                    "delivered",
                    1 if p.channel == "sms" else None,
                    min(at, now),
                    None,
                )
            if p.conversation:
                assert p.replied is not None
                end = p.completed or p.verified or p.replied + dt.timedelta(hours=1)
                span = max((min(end, now) - p.replied).total_seconds(), 60.0)
                for k in range(p.conversation):
                    at = p.replied + dt.timedelta(seconds=span * k / p.conversation)
                    inbound = k % 2 == 0
                    mid = next(ids)
                    yield (
                        mid,
                        p.id,
                        "inbound" if inbound else "outbound",
                        p.reply_channel,
                        "customer" if inbound else "bot",
                        f"SMC{mid:012d}",
                        p.phone if inbound else TWILIO_NUMBER,
                        TWILIO_NUMBER if inbound else p.phone,
                        "AR26D004512" if inbound and k == 2 else ("Yes" if inbound else "Thank you, noted."),
                        "received" if inbound else "delivered",
                        1,
                        at,
                        at if inbound else None,
                    )

    w.write(
        Message,
        [
            "id",
            "customer_id",
            "direction",
            "channel",
            "author",
            "twilio_sid",
            "from_address",
            "to_address",
            "body",
            "status",
            "segments",
            "created_at",
            "processed_at",
            "num_media",
            "media",
        ],
        (row + (0, "[]") for row in message_rows()),
    )

    def attempt_rows() -> Iterator[tuple]:
        n = _next_id(engine, OutreachAttempt)
        for p in plans:
            if not (p.notified or p.notice_failed):
                continue
            at = p.notified or now - dt.timedelta(days=1)
            yield (
                n,
                campaign_id,
                p.id,
                "notice",
                p.channel,
                "failed" if p.notice_failed else "sent",
                p.message_ids[0],
                None if p.notice_failed else f"SMO{p.id:012d}n",
                30008 if p.notice_failed else None,
                at,
                at,
            )
            n += 1
            for r in range(p.reminders):
                at = min((p.notified or now) + dt.timedelta(days=3 * (r + 1)), now)
                yield (
                    n,
                    campaign_id,
                    p.id,
                    f"reminder{r + 1}",
                    p.channel,
                    "sent",
                    p.message_ids[1 + r],
                    f"SMO{p.id:012d}r{r}",
                    None,
                    at,
                    at,
                )
                n += 1

    w.write(
        OutreachAttempt,
        [
            "id",
            "campaign_id",
            "customer_id",
            "step",
            "channel",
            "status",
            "message_id",
            "twilio_sid",
            "error_code",
            "attempted_at",
            "settled_at",
        ],
        attempt_rows(),
    )

    escalated = rng.sample(
        [p for p in plans if p.replied] or plans, k=min(int(customers * 0.03), len(talkers) or customers)
    )
    first_esc = _next_id(engine, Escalation)
    w.write(
        Escalation,
        [
            "id",
            "customer_id",
            "reason",
            "priority",
            "status",
            "message_id",
            "trigger_text",
            "created_at",
            "resolved_at",
        ],
        (
            (
                first_esc + i,
                p.id,
                *_reason(rng),
                rng.choices(["resolved", "handed_back", "open", "claimed"], [60, 20, 15, 5])[0],
                p.message_ids[-1] if p.message_ids else None,
                "I want to talk to a person",
                p.replied or now,
                None,
            )
            for i, p in enumerate(escalated)
        ),
    )

    def feedback_rows() -> Iterator[tuple]:
        n = _next_id(engine, Feedback)
        for p in plans:
            if not p.completed:
                continue
            asked = min(p.completed + dt.timedelta(minutes=5), now - dt.timedelta(minutes=10))
            answered = rng.random() < 0.7
            score = rng.choices(SCORES, SCORE_WEIGHTS)[0] if answered else None
            comment = rng.choice(COMMENTS) if answered and rng.random() < 0.3 else None
            yield (
                n,
                campaign_id,
                p.id,
                asked,
                score,
                asked + dt.timedelta(minutes=3) if answered else None,
                comment,
                asked + dt.timedelta(minutes=4) if comment else None,
            )
            n += 1

    w.write(
        Feedback,
        ["id", "campaign_id", "customer_id", "asked_at", "score", "answered_at", "comment", "commented_at"],
        feedback_rows(),
    )
    opted = [p for p in plans if rng.random() < 0.01]
    first_opt = _next_id(engine, OptOut)
    w.write(
        OptOut,
        ["id", "phone", "opted_out_at", "opted_in_at", "source", "keyword"],
        (
            (first_opt + i, p.phone, (p.notified or now), now if i % 10 == 0 else None, "keyword", "STOP")
            for i, p in enumerate(opted)
        ),
    )

    if w.postgres:
        with engine.begin() as conn:
            for model in (
                Customer,
                Unit,
                Conversation,
                ServiceSlot,
                RemedyRequest,
                Booking,
                Message,
                OutreachAttempt,
                Escalation,
                Feedback,
                OptOut,
            ):
                name = model.__tablename__
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    )
                )
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    return w.counts


DISPOSITIONS = ("sold", "given_away", "disposed")


def _disposition(p: Plan) -> str | None:
    """Deterministic (no draw from the generator's random stream, so the other figures
    stay as they were): a few affected units that replied and were never verified."""
    if p.affected and p.replied and not p.verified and p.id % 50 == 0:
        return DISPOSITIONS[(p.id // 50) % 3]
    return None


def _reason(rng: random.Random) -> tuple[str, str]:
    reason, priority, _ = rng.choices(REASONS, [r[2] for r in REASONS])[0]
    return reason, priority


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--slug", default=DEMO_SLUG)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    from bot.db import make_engine

    engine = make_engine(args.url)
    started = time.perf_counter()
    counts = generate(engine, customers=args.customers, messages=args.messages, slug=args.slug, seed=args.seed)
    engine.dispose()
    print(json.dumps({"seconds": round(time.perf_counter() - started, 1), "rows": counts}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
