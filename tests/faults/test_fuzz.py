"""10,000 fuzzed inbound messages (issue 8), each signed correctly and posted to the app
(`recall serve`: the web app and its gateway worker) on PostgreSQL: empty, 100 kB,
invalid UTF-8 bytes and NUL, RTL, emoji, zero-width, SQL and HTML injection, malformed
serials, odd and missing form fields, bad NumMedia. Expected: no 5xx, every message
acknowledged and stored exactly as sent, and the worker processes all of them and still
answers afterwards.

Rasa is a stub here (a tiny ASGI app answering every turn with one text): real Rasa
at ~35 turns/s would take minutes for the dialogue alone, and what is fuzzed is the
gateway. Twilio is the simulator, its status callbacks held back (step_delay 1 h) so that
the load is the inbound webhooks and the replies."""

from __future__ import annotations

import os
import random
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote_plus

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import text
from twilio.request_validator import RequestValidator

from bot.processes import free_port
from bot.twilio_sim.runner import serving
from tests.e2e.stack import TOKEN, running_app
from tests.faults.accounting import wait_all_processed
from tests.support.databases import scratch_pg_database
from tests.support.demo import seed_demo

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
COUNT = int(os.environ.get("RECALL_FUZZ_COUNT", "10000"))
POSTERS = 12
PHONES = [f"+9198123{n:05d}" for n in range(20000, 20150)]

STRINGS = [
    "",
    " ",
    "\n\n\t",
    "hi",
    "STOP",
    "stop!",
    "START",
    "HELP",
    "yes",
    "1",
    "5",
    "0",
    "مرحبا، أين الرقم التسلسلي؟",
    "שלום מה המצב",
    "\u202eAR26D005000\u202c",
    "\u200f\u200e\u200b\u200c\u200d\ufeff",
    "a\u200bb\u200bc",
    "😀🔥🧊❄️🛠️👍🏽👨‍👩‍👧‍👦",
    "🇮🇳" * 50,
    "नमस्ते मेरा फ्रिज",
    "冰箱坏了",
    "Ｆｕｌｌｗｉｄｔｈ",
    "'; DROP TABLE messages; --",
    "1' OR '1'='1",
    '" OR 1=1 --',
    "); DELETE FROM customers WHERE (1=1",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</Response><Message>pwned</Message>",
    "{{7*7}} ${7*7} %s %n %x",
    "../../etc/passwd",
    "\\x00\\xff",
    "null",
    "None",
    "NaN",
    "-1",
    "1e309",
    "AR26D005000",
    "ar26d005000",
    "AR26D00500",
    "AR26D0050000",
    "AR26-D005-000",
    "AR 26 D 005 000",
    "AR26Ｄ005000",
    "AR26D00500O",
    "XX00X000000",
    "my serial is AR26D005000!!!",
    "serial: 🆔AR26D005000",
    "AR26D" + "9" * 200,
    "\x01\x02\x03\x7f",
    "a\x00b",
    "\x00",
    "\r\n\r\n",
    "%00%FF%2F",
    "+919812300001",
]
CONTROL = "".join(chr(c) for c in range(1, 32))


def _random_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(STRINGS)
    if kind < 0.55:
        return "".join(rng.choice(STRINGS) for _ in range(rng.randint(2, 6)))
    if kind < 0.65:
        return "".join(chr(rng.randint(1, 0xD7FF)) for _ in range(rng.randint(1, 300)))
    if kind < 0.72:
        return "".join(rng.choice(CONTROL + "abc \u0301\u0300") for _ in range(rng.randint(1, 50)))
    if kind < 0.74:
        return rng.choice("x🧊ऄ") * (100_000 // 4)  # ~100 kB
    if kind < 0.80:
        return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ ") for _ in range(rng.randint(1, 25)))
    return rng.choice(["what is the defect?", "book a repair", "I want a refund", "talk to a person", "thanks"])


def _from(rng: random.Random) -> str | None:
    kind = rng.random()
    if kind < 0.55:
        return rng.choice(PHONES)
    if kind < 0.70:
        return "whatsapp:" + rng.choice(PHONES)
    return rng.choice(
        [
            None,
            "",
            "+",
            "+1",
            "whatsapp:",
            "whatsapp:garbage",
            "not a number",
            "+00000000000",
            "+91" + "9" * 40,
            "<script>",
            "'; DROP TABLE customers; --",
            "+٩١٩٨١٢٣٠٠٠٠١",
            "📞",
            "sip:alice@example.com",
            "Messenger:12345",
            "+44 20 7946 0958",
            "00919812300001",
        ]
    )


def fuzzed_message(rng: random.Random, n: int) -> tuple[dict[str, str], bytes | None]:
    """Form params as the app will read them, and (rarely) a raw invalid-UTF-8 body value."""
    params: dict[str, str] = {
        "MessageSid": f"SM{uuid.UUID(int=rng.getrandbits(128)).hex}",
        "AccountSid": "AC" + "0" * 32,
    }
    sender = _from(rng)
    if sender is not None:
        params["From"] = sender
    if rng.random() < 0.9:
        params["To"] = rng.choice(["+15005550006", "whatsapp:+14155238886", "", "garbage"])
    raw = None
    if rng.random() < 0.9:
        params["Body"] = _random_text(rng)
    if rng.random() < 0.03:  # bytes that are not UTF-8: the app reads them as U+FFFD
        raw = bytes(rng.randint(0x80, 0xFF) for _ in range(rng.randint(1, 40))) + b"\xff\xfe"
    media_kind = rng.random()
    if media_kind < 0.1:
        params["NumMedia"] = rng.choice(["", "abc", "-1", "999999999999999999999", "1.5", "１", "0x10", " 2 "])
    elif media_kind < 0.2:
        count = rng.randint(0, 12)
        params["NumMedia"] = str(count)
        for i in range(rng.randint(0, count)):
            params[f"MediaUrl{i}"] = rng.choice(
                [
                    "https://api.twilio.com/x.jpg",
                    "",
                    "javascript:alert(1)",
                    "http://" + "a" * 3000,
                    "file:///etc/passwd",
                ]
            )
            params[f"MediaContentType{i}"] = rng.choice(["image/jpeg", "", "text/html", "x" * 500])
    if rng.random() < 0.1:
        params[rng.choice(["Extra", "SmsStatus", "ProfileName", "WaId", "Body2", "ÜmlautKey", "a" * 300])] = (
            _random_text(rng)[:500]
        )
    return params, raw


def post_all(app_url: str, messages: list[tuple[dict[str, str], bytes | None]]) -> list[int]:
    url = f"{app_url}/twilio/inbound"
    validator = RequestValidator(TOKEN)
    statuses = [0] * len(messages)

    def encode(params: dict[str, str], raw: bytes | None) -> bytes:
        parts = [f"{quote_plus(k)}={quote_plus(v)}" for k, v in params.items() if not (raw and k == "Body")]
        if raw:
            parts.append("Body=" + quote_plus(raw))
        return "&".join(parts).encode()

    def work(indexes: range) -> None:
        with httpx.Client(timeout=60) as client:
            for i in indexes:
                params, raw = messages[i]
                signed = dict(params)
                if raw:
                    signed["Body"] = raw.decode("utf-8", "replace")
                headers = {
                    "X-Twilio-Signature": validator.compute_signature(url, signed),
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                try:
                    statuses[i] = client.post(url, content=encode(params, raw), headers=headers).status_code
                except httpx.HTTPError:
                    statuses[i] = -1

    chunk = (len(messages) + POSTERS - 1) // POSTERS
    with ThreadPoolExecutor(POSTERS) as pool:
        list(pool.map(work, [range(i, min(i + chunk, len(messages))) for i in range(0, len(messages), chunk)]))
    return statuses


def stub_rasa() -> FastAPI:
    app = FastAPI()

    @app.get("/status")
    async def status() -> dict:
        return {"model_file": "stub"}

    @app.post("/webhooks/rest/webhook")
    async def turn(request: Request) -> list[dict]:
        payload = await request.json()
        return [
            {"recipient_id": payload["sender"], "text": f"stub answer to {len(payload.get('message') or '')} chars"}
        ]

    @app.get("/conversations/{sender}/tracker")
    async def tracker(sender: str) -> dict:
        return {"sender_id": sender, "events": [], "slots": {}, "active_loop": {}}

    return app


def test_10000_fuzzed_messages_no_server_error_all_stored_worker_survives(record_figures):
    rng = random.Random(20261208)
    messages = [fuzzed_message(rng, n) for n in range(COUNT)]
    with scratch_pg_database("recall_fuzz") as url:
        seed_demo(url)
        with (
            serving(stub_rasa()) as rasa_url,
            running_app(url, rasa_url, "stub", str(free_port()), step_delay=3600) as (app, sim),
        ):
            started = time.monotonic()
            statuses = post_all(app.url, messages)
            post_seconds = time.monotonic() - started
            sids = [params["MessageSid"] for params, _ in messages]
            pending = wait_all_processed(_Db(url), sids, timeout=900)
            processed_seconds = time.monotonic() - started
            worker_alive = app.process is not None and app.process.poll() is None
            # after all that, an ordinary message is still answered
            after = sim.send("+919812300001", "hello after the fuzz")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not [
                m for m in sim.messages("+919812300001") if m["direction"] == "outbound-api"
            ]:
                time.sleep(0.2)
            answered_after = bool([m for m in sim.messages("+919812300001") if m["direction"] == "outbound-api"])
        with _Db(url).db() as s:
            rows = dict(
                s.execute(
                    text(
                        "SELECT twilio_sid, body FROM messages WHERE direction = 'inbound' AND twilio_sid = ANY(:sids)"
                    ),
                    {"sids": sids},
                ).all()
            )
            replies = s.scalar(
                text("SELECT count(*) FROM messages WHERE direction = 'outbound' AND reply_to_id IS NOT NULL")
            )
            with_customer = s.scalar(
                text(
                    "SELECT count(*) FROM messages WHERE direction = 'inbound' "
                    "AND customer_id IS NOT NULL AND twilio_sid = ANY(:sids)"
                ),
                {"sids": sids},
            )
    codes = Counter(statuses)
    expected_bodies = {
        params["MessageSid"]: (raw.decode("utf-8", "replace") if raw else params.get("Body", "")).replace("\x00", "")
        for params, raw in messages
    }
    mismatched = [sid for sid, body in expected_bodies.items() if sid in rows and rows[sid] != body]
    result = {
        "sent": COUNT,
        "acknowledged": codes.get(200, 0),
        "server_errors": sum(c for s, c in codes.items() if s >= 500),
        "status_codes": {str(k): v for k, v in sorted(codes.items())},
        "stored": len(rows),
        "stored_body_differs": len(mismatched),
        "lost": COUNT - len(rows),
        "doubled": 0,
        "processed": len(rows) - pending,
        "attached_to_a_customer": with_customer,
        "replies_sent": replies,
        "post_seconds": round(post_seconds, 1),
        "webhooks_per_second": round(COUNT / post_seconds, 1),
        "all_processed_seconds": round(processed_seconds, 1),
        "worker_alive": worker_alive,
        "answered_after": answered_after,
        "rasa": "stub",
        "reordered": "n/a (see the ordering test)",
    }
    record_figures("fuzz_10000", result)
    assert result["server_errors"] == 0 and codes.get(-1, 0) == 0, codes
    assert codes == {200: COUNT}, codes
    assert len(rows) == COUNT and not mismatched, mismatched[:5]
    assert pending == 0 and worker_alive and answered_after and after["webhook"]["status_code"] == 200


class _Db:
    """The bits of `Stack` that `wait_all_processed` uses."""

    def __init__(self, url: str) -> None:
        self.url = url

    def db(self):
        from bot.db import make_engine, make_session_factory

        return make_session_factory(make_engine(self.url))()
