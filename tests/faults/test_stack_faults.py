"""Faults on the whole stack (issue 8): Rasa down for 30 s, PostgreSQL restarted while
customers are sending, a Twilio 5xx storm. Everything real but Twilio's servers (the
simulator); each test counts every message a customer sent against what the app
acknowledged, stored and answered (tests/faults/accounting.py)."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.stack import Stack
from tests.e2e.test_gateway import wait_processed
from tests.faults.accounting import figures, wait_all_processed

pytestmark = [pytest.mark.faults, pytest.mark.rasa, pytest.mark.postgres]
RASA_DOWN_SECONDS = 30


def send(stack: Stack, phone: str, body: str) -> dict:
    """A customer's message through the simulator (signed webhook to the app)."""
    try:
        webhook = stack.sim.send(phone, body)["webhook"] or {}
    except httpx.HTTPError as exc:  # the simulator itself could not be asked
        return {"phone": phone, "sid": None, "status": 0, "error": str(exc)}
    return {
        "phone": phone,
        "sid": webhook.get("message_sid"),
        "status": webhook.get("status_code") or 0,
        "error": webhook.get("error"),
    }


def greet(stack: Stack, phones: list[str]) -> list[dict]:
    """Each phone starts a conversation and gets its first answer."""
    sent = [send(stack, phone, "hi") for phone in phones]
    for phone in phones:
        assert stack.replies(phone), phone
        wait_processed(stack, phone)
    return sent


def test_rasa_down_for_30_seconds_messages_kept_and_answered_in_order_after(stack, record_figures):
    phones = [f"+9198123011{n:02d}" for n in range(4)]
    sent = greet(stack, phones)
    before = {p: stack.outbound_count(p) for p in phones}
    rasa = stack.dialogue.rasa
    assert rasa is not None
    rasa.stop()
    down_at = time.monotonic()
    during: list[dict] = []
    try:
        for body in ("what is the defect?", "my serial is AR26D005000", "is it dangerous?"):
            for phone in phones:
                during.append(send(stack, phone, body))
            time.sleep(RASA_DOWN_SECONDS / 3 - 0.5)
        assert all(m["status"] == 200 for m in during), during  # kept and acknowledged at once
        while time.monotonic() - down_at < RASA_DOWN_SECONDS:
            time.sleep(0.2)
        assert {p: stack.outbound_count(p) for p in phones} == before  # nothing answered while down
        with stack.db() as s:
            from sqlalchemy import text

            stored_unprocessed = s.scalar(
                text("SELECT count(*) FROM messages WHERE twilio_sid = ANY(:sids) AND processed_at IS NULL"),
                {"sids": [m["sid"] for m in during]},
            )
        assert stored_unprocessed == len(during)
    finally:
        rasa.start()
        rasa.wait_ready(120)
    back_at = time.monotonic()
    pending = wait_all_processed(stack, [m["sid"] for m in during], timeout=120)
    answered_after = time.monotonic() - back_at
    result = figures(stack, sent + during)
    result.update(
        {
            "rasa_down_seconds": RASA_DOWN_SECONDS,
            "sent_while_down": len(during),
            "all_answered_seconds_after_rasa_ready": round(answered_after, 1),
        }
    )
    record_figures("rasa_down_30s", result)
    assert pending == 0
    assert result["acknowledged"] == result["stored"] == result["answered"] == result["sent"]
    assert (result["lost"], result["doubled"], result["reordered"]) == (0, 0, 0), result


# ---------------------------------------------------------------------- PostgreSQL


def _pg_ctl(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        capture_output=True,
        timeout=60,
    )


def _pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True).returncode == 0


def _ensure_pg_up() -> None:
    deadline = time.monotonic() + 60
    while not _pg_ready():
        if time.monotonic() > deadline:
            raise AssertionError("PostgreSQL did not come back")
        try:
            _pg_ctl("start")
        except subprocess.CalledProcessError:
            pass  # already starting
        time.sleep(0.5)


@pytest.mark.skipif(shutil.which("pg_ctlcluster") is None, reason="needs pg_ctlcluster (Debian's PostgreSQL)")
def test_postgres_restarted_while_customers_send_loses_no_acknowledged_message(stack, record_figures):
    phones = [f"+9198123012{n:02d}" for n in range(6)]
    greeted = greet(stack, phones)
    sent: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()
    bodies = ["what is the defect?", "hello", "is it dangerous?", "what happens now?"]

    def customer(phone: str) -> None:
        n = 0
        while not stop.is_set():
            result = send(stack, phone, bodies[n % len(bodies)])
            with lock:
                sent.append(result)
            n += 1
            time.sleep(0.3)

    threads = [threading.Thread(target=customer, args=(p,), daemon=True) for p in phones]
    for t in threads:
        t.start()
    outage: list[int] = []
    try:
        time.sleep(3)
        _pg_ctl("stop")  # a restart with its gap held open for a few seconds
        down = time.monotonic()
        while time.monotonic() - down < 4:  # the app's answer while the database is down
            probe = send(stack, "+919812301299", "probe while the database is down")
            outage.append(probe["status"])
            time.sleep(0.3)
        _pg_ctl("start")
    finally:
        _ensure_pg_up()
    assert _pg_ready()
    time.sleep(6)  # customers keep sending after the restart
    stop.set()
    for t in threads:
        t.join(30)
    pending = wait_all_processed(stack, [m["sid"] for m in sent if m["sid"]], timeout=120)
    customers_sent = [m for m in sent if m["phone"] in phones]
    result = figures(stack, greeted + customers_sent)
    refused_codes = sorted({m["status"] for m in customers_sent if not 200 <= m["status"] < 300})
    result.update(
        {
            "database_down_seconds": 4,
            "probe_answers_while_down": sorted(set(outage)),
            "refused_status_codes": refused_codes,
        }
    )
    record_figures("postgres_restart", result)
    assert outage and all(not 200 <= code < 300 for code in outage), outage  # never 200 without storing
    assert result["refused"] > 0, "no webhook reached the app while the database was down"
    assert pending == 0
    assert result["stored"] == result["acknowledged"] == result["answered"]
    assert (result["lost"], result["doubled"], result["reordered"]) == (0, 0, 0), result
    health = httpx.get(f"{stack.app.url}/health", timeout=10)
    assert health.status_code == 200 and health.json()["checks"]["database"] == "ok"


# ---------------------------------------------------------------------- Twilio 5xx storm
STORM_SECONDS = 20


def test_twilio_5xx_storm_every_reply_delivered_once_after(stack, record_figures):
    phones = [f"+9198123013{n:02d}" for n in range(5)]
    storm = [{"status": 503, "count": 5000}, {"status": 500, "count": 5000}]
    created_before = len([m for m in stack.sim.messages() if m["direction"] == "outbound-api"])
    stack.sim.set_faults(fail_next=storm)
    sent: list[dict] = []
    try:
        started = time.monotonic()
        for body in ("hi", "what is the defect?"):
            for phone in phones:
                sent.append(send(stack, phone, body))
            time.sleep(2)
        while time.monotonic() - started < STORM_SECONDS:
            time.sleep(0.2)
        left = stack.sim.set_faults()["fail_next"]
        refused_creates = 10000 - sum(f["count"] for f in left)
        created_during = len([m for m in stack.sim.messages() if m["direction"] == "outbound-api"]) - created_before
    finally:
        stack.sim.clear_faults()
    assert created_during == 0  # the storm refused everything
    assert all(m["status"] == 200 for m in sent)
    with stack.db() as s:
        from sqlalchemy import text

        failed_during = s.scalar(
            text(
                "SELECT count(*) FROM messages WHERE direction = 'outbound' "
                "AND status = 'failed' AND to_address = ANY(:p)"
            ),
            {"p": phones},
        )
    cleared = time.monotonic()
    pending = wait_all_processed(stack, [m["sid"] for m in sent], timeout=120)
    delivered_after = time.monotonic() - cleared
    result = figures(stack, sent)
    result.update(
        {
            "storm_seconds": STORM_SECONDS,
            "refused_create_calls": refused_creates,
            "reply_rows_failed_during_storm": failed_during,
            "all_delivered_seconds_after_storm": round(delivered_after, 1),
        }
    )
    record_figures("twilio_5xx_storm", result)
    assert pending == 0
    assert result["acknowledged"] == result["stored"] == result["answered"] == result["sent"]
    assert result["failed_reply_rows"] == 0  # the rows that failed during the storm were sent after it
    assert (result["lost"], result["doubled"], result["reordered"]) == (0, 0, 0), result


# ---------------------------------------------------------------------- Redis down


def test_redis_unreachable_outreach_stops_clearly_and_the_gateway_carries_on(stack, record_figures):
    """Only the outreach's shared send rate uses Redis (REDIS_URL). Pointed at a port
    nobody listens on (the machine's Redis is left alone): `recall outreach start` refuses
    before sending or claiming anything, with a message saying what to do; the app and
    its worker (whose reminder pass fails and is logged) keep answering customers."""
    from click.testing import CliRunner
    from sqlalchemy import text

    from bot.cli.context import AppContext
    from bot.cli.main import cli
    from bot.processes import free_port
    from bot.settings import Settings
    from tests.e2e.stack import TOKEN

    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    settings = Settings(
        database_url=stack.database_url,
        redis_url=dead_redis,
        twilio_api_url=stack.sim.base_url,
        twilio_auth_token=TOKEN,
        twilio_account_sid=stack.sim.config.account_sid,
    )
    before = len(stack.sim.messages())
    started = time.monotonic()
    result = CliRunner().invoke(
        cli,
        ["outreach", "start", "--campaign", "arctica-ff260-valve-2026", "--ignore-quiet-hours"],
        obj=AppContext(settings=settings),
    )
    refused_in = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert "Redis at REDIS_URL=" in result.output and "is not reachable" in result.output
    assert "Traceback" not in result.output
    with stack.db() as s:
        attempts = s.scalar(text("SELECT count(*) FROM outreach_attempts"))
    assert attempts == 0 and len(stack.sim.messages()) == before  # nothing claimed, nothing sent

    stack.app.stop()
    stack.app.start(REDIS_URL=dead_redis)
    try:
        phones = [f"+9198123014{n:02d}" for n in range(3)]
        sent = [send(stack, phone, body) for phone in phones for body in ("hi", "what is the defect?")]
        pending = wait_all_processed(stack, [m["sid"] for m in sent], timeout=60)
        result_figures = figures(stack, sent)
        health = httpx.get(f"{stack.app.url}/health", timeout=10).status_code
    finally:
        stack.app.stop()
        stack.app.start()
    result_figures.update(
        {
            "outreach_exit_code": result.exit_code,
            "outreach_refused_seconds": round(refused_in, 2),
            "outreach_attempts_claimed": attempts,
            "health_with_redis_down": health,
        }
    )
    record_figures("redis_down", result_figures)
    assert pending == 0 and health == 200
    assert result_figures["acknowledged"] == result_figures["stored"] == result_figures["answered"] == len(sent)
    assert (result_figures["lost"], result_figures["doubled"], result_figures["reordered"]) == (0, 0, 0)
