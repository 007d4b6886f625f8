"""A customer's conversation in the console (TestClient, real database, stand-in Twilio
sender): the transcript with notes and photos, the reply box on the customer's channel
(SMS outside WhatsApp's 24-hour window), who may reply, and the live-update events."""

from __future__ import annotations

import datetime as dt
import http.server
import re
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.requests import Request

from bot.console import live
from bot.console.auth import CurrentAgent
from bot.console.media import allowed_media_url
from bot.models import (
    AgentRole,
    AuditEvent,
    Author,
    Campaign,
    Channel,
    Conversation,
    Customer,
    Direction,
    Disposition,
    Message,
    MessageStatus,
    Note,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    utcnow,
)
from bot.services.agents import add_agent
from bot.services.escalations import record_escalation
from bot.settings import Settings
from bot.web import create_app
from tests import factories
from tests.console.test_console import PASSWORD, csrf_of, log_in
from tests.gateway.support import StubSender

PHONE = "+919812300001"
PNG = bytes.fromhex(  # a valid 1x1 PNG, as Pillow writes it: the console shows it re-encoded, the same bytes
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63606060600000000500017aa857500000000049454e44ae426082"
)


def _inbound(s, customer_id: int, body: str, channel: Channel = Channel.SMS, media=None, at=None) -> Message:
    row = Message(
        customer_id=customer_id,
        direction=Direction.INBOUND,
        channel=channel,
        author=Author.CUSTOMER,
        from_address=PHONE,
        to_address="+15005550006",
        body=body,
        status=MessageStatus.RECEIVED,
        media=media or [],
        num_media=len(media or []),
        created_at=at or utcnow(),
    )
    s.add(row)
    s.flush()
    return row


@pytest.fixture
def world(session_factory):
    """Two agents, and one customer who wrote on WhatsApp an hour ago and asked for a person."""
    with session_factory.begin() as s:
        add_agent(s, "agent@example.com", PASSWORD, "agent")
        add_agent(s, "other@example.com", PASSWORD, "agent")
        campaign = factories.demo_campaign(s)
        customer = factories.customer(s, campaign, PHONE, name="Asha Rao")
        hour_ago = utcnow() - dt.timedelta(hours=1)
        s.add(
            Conversation(
                customer_id=customer.id,
                sender_id="c-1",
                last_channel=Channel.WHATSAPP,
                last_inbound_at=hour_ago,
                whatsapp_last_inbound_at=hour_ago,
            )
        )
        message = _inbound(s, customer.id, "<script>alert('x')</script> I want a PERSON", Channel.WHATSAPP, at=hour_ago)
        escalation = record_escalation(
            s, customer_id=customer.id, reason="request_human", text=message.body, message_id=message.id
        )
        return {"customer_id": customer.id, "escalation_id": escalation.id}


@pytest.fixture
def stub_sender():
    return StubSender()


@pytest.fixture
def console(session_factory, stub_sender):
    settings = Settings(
        database_url="sqlite://",
        console_secret_key="test-secret",
        public_base_url="http://testserver",
        twilio_api_url="http://127.0.0.1:9",
    )
    app = create_app(settings, factory=session_factory, sender=stub_sender, inline_processing=False)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def _post(client: TestClient, path: str, **form):
    token = csrf_of(client.get("/console").text)
    return client.post(path, data={"csrf_token": token, **form}, follow_redirects=False)


def test_the_page_shows_the_conversation_escaped_with_unit_and_escalation(console, world):
    log_in(console, "agent@example.com")
    page = console.get(f"/console/customers/{world['customer_id']}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; I want a PERSON" in page.text
    assert "<script>alert(" not in page.text
    assert "AR26D004512 (FF260)" in page.text and "request human · normal · open" in page.text
    assert "Claim this conversation to reply." in page.text and 'id="reply-form"' not in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert console.get("/console/customers/999999").status_code == 404


def test_the_page_lists_every_unit_with_its_own_state(console, world, session_factory):
    ist = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)  # 11:30 in India, the same day there
    with session_factory.begin() as s:
        customer = s.get(Customer, world["customer_id"])
        first = customer.units[0]
        first.verified_at, first.remedy, first.completed_at = ist, Remedy.REPAIR, ist
        second = factories.unit(s, customer, "AR26D004513", model="FF262", verified_at=ist, remedy=Remedy.REFUND)
        factories.unit(s, customer, "AR26D004514", disposition=Disposition.SOLD, disposition_at=ist)
        factories.unit(s, customer, "AR26B000123", affected=False)
        s.add(
            RemedyRequest(
                reference="RF-8M2P4X",
                campaign_id=customer.campaign_id,
                customer_id=customer.id,
                unit_id=second.id,
                kind=RequestKind.REFUND,
                status=RequestStatus.PICKED_UP,
            )
        )
    log_in(console, "agent@example.com")
    page = console.get(f"/console/customers/{world['customer_id']}").text
    assert "Units <small>(4)</small>" in page
    table = page[page.index('id="units-table"') : page.index("</table>", page.index('id="units-table"'))]
    rows = re.findall(r'<tr data-serial="([^"]+)">(.*?)</tr>', table, re.S)
    cells = {
        serial: dict(re.findall(r'data-col="(\w+)"[^>]*>(.*?)</(?:td|span)>', body, re.S)) for serial, body in rows
    }
    assert list(cells) == ["AR26D004512", "AR26D004513", "AR26D004514", "AR26B000123"]
    assert cells["AR26D004512"] == {
        "affected": "affected",
        "verified": "2026-11-20",
        "remedy": "repair",
        "completed": "2026-11-20",
        "references": "—",
    }
    assert (cells["AR26D004513"]["remedy"], cells["AR26D004513"]["completed"]) == ("refund", "—")
    assert cells["AR26D004513"]["references"] == "RF-8M2P4X refund picked up"
    assert cells["AR26D004514"]["disposition"] == "sold" and cells["AR26D004514"]["verified"] == "—"
    assert cells["AR26B000123"]["affected"] == "not affected"
    assert "AR26D004513<br><small>FF262 · " in table


def test_replying_needs_the_claim_then_goes_on_the_customers_channel(console, world, stub_sender, session_factory):
    customer_id = world["customer_id"]
    log_in(console, "agent@example.com")
    assert _post(console, f"/console/customers/{customer_id}/reply", body="hello").status_code == 409
    assert stub_sender.sent == []
    assert (
        _post(console, f"/console/escalations/{world['escalation_id']}/claim").headers["location"]
        == f"/console/customers/{customer_id}"
    )
    page = console.get(f"/console/customers/{customer_id}").text
    assert 'id="reply-form"' in page and 'goes by <strong id="reply-channel">WhatsApp' in page
    response = _post(console, f"/console/customers/{customer_id}/reply", body="Hello Asha, I am Priya. <b>Sorry</b>")
    assert response.status_code == 303
    assert stub_sender.sent == [{"to": PHONE, "channel": "whatsapp", "body": "Hello Asha, I am Priya. <b>Sorry</b>"}]
    with session_factory() as s:
        row = s.scalar(select(Message).where(Message.author == Author.AGENT))
        assert row.agent_id is not None and row.channel is Channel.WHATSAPP and row.twilio_sid
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "agent.reply"))
        assert audit.actor == "agent@example.com" and audit.detail["sent"] == 1
    page = console.get(f"/console/customers/{customer_id}").text
    assert "&lt;b&gt;Sorry&lt;/b&gt;" in page and "agent@example.com · WhatsApp" in page


def test_another_agent_cannot_reply_to_a_claimed_conversation(console, world, stub_sender):
    log_in(console, "agent@example.com")
    _post(console, f"/console/escalations/{world['escalation_id']}/claim")
    _post(console, "/console/logout")
    log_in(console, "other@example.com")
    response = _post(console, f"/console/customers/{world['customer_id']}/reply", body="me too")
    assert response.status_code == 409 and "Another agent" in response.json()["detail"]
    assert stub_sender.sent == []


def test_outside_the_whatsapp_window_the_console_warns_and_sends_by_sms(console, world, stub_sender, session_factory):
    with session_factory.begin() as s:
        conversation = s.scalar(select(Conversation))
        conversation.whatsapp_last_inbound_at = utcnow() - dt.timedelta(hours=30)
    log_in(console, "agent@example.com")
    _post(console, f"/console/escalations/{world['escalation_id']}/claim")
    page = console.get(f"/console/customers/{world['customer_id']}").text
    assert "Outside WhatsApp&#39;s 24-hour window" in page and "30 h ago" in page
    assert 'id="reply-channel">SMS' in page
    _post(console, f"/console/customers/{world['customer_id']}/reply", body="Following up")
    assert [m["channel"] for m in stub_sender.sent] == ["sms"]
    assert "Sent by SMS." in console.get(f"/console/customers/{world['customer_id']}").text


def test_an_opted_out_customer_gets_nothing_and_the_agent_is_told(console, world, stub_sender, session_factory):
    from bot.services.opt_outs import record_opt_out

    with session_factory.begin() as s:
        record_opt_out(s, PHONE, source="keyword", keyword="STOP")
    log_in(console, "agent@example.com")
    _post(console, f"/console/escalations/{world['escalation_id']}/claim")
    _post(console, f"/console/customers/{world['customer_id']}/reply", body="are you there?")
    assert stub_sender.sent == []
    assert "opted out (STOP)" in console.get(f"/console/customers/{world['customer_id']}").text


def test_private_notes_are_kept_shown_and_never_sent(console, world, stub_sender, session_factory):
    log_in(console, "agent@example.com")
    assert _post(console, f"/console/customers/{world['customer_id']}/notes", body="  ").status_code == 303
    assert (
        _post(console, f"/console/customers/{world['customer_id']}/notes", body="Called them <i>twice</i>").status_code
        == 303
    )
    page = console.get(f"/console/customers/{world['customer_id']}").text
    assert "Note by agent@example.com" in page and "Called them &lt;i&gt;twice&lt;/i&gt;" in page
    assert stub_sender.sent == []
    with session_factory() as s:
        assert list(s.scalars(select(Note.body))) == ["Called them <i>twice</i>"]
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "note.added"))
    response = console.post(
        f"/console/customers/{world['customer_id']}/notes", data={"body": "x"}, follow_redirects=False
    )
    assert response.status_code == 403  # no CSRF token


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", True),
        ("HTTPS://API.TWILIO.COM/x", True),
        ("http://127.0.0.1:9/sim/media/ME1", True),  # TWILIO_API_URL (the simulator in tests)
        ("http://127.0.0.1:5432/", False),
        ("https://api.twilio.com.evil.example/x", False),
        ("file:///etc/passwd", False),
        ("", False),
    ],
)
def test_photos_are_fetched_only_from_twilio(url, allowed):
    assert allowed_media_url(url, Settings(twilio_api_url="http://127.0.0.1:9")) is allowed


class _PhotoServer(http.server.BaseHTTPRequestHandler):
    seen_auth: list[str] = []

    def do_GET(self) -> None:
        _PhotoServer.seen_auth.append(self.headers.get("Authorization", ""))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args) -> None:
        pass


def test_a_photo_is_shown_through_the_console_with_twilios_credentials(session_factory, world, stub_sender):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PhotoServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with session_factory.begin() as s:
            row = _inbound(
                s,
                world["customer_id"],
                "",
                media=[
                    {"url": f"{base}/Media/ME1", "content_type": "image/png"},
                    {"url": "https://evil.example/x.png", "content_type": "image/png"},
                ],
            )
            message_id = row.id
        settings = Settings(
            database_url="sqlite://",
            console_secret_key="test-secret",
            twilio_api_url=base,
            public_base_url="http://testserver",
        )
        app = create_app(settings, factory=session_factory, sender=stub_sender, inline_processing=False)
        with TestClient(app, base_url="http://testserver") as client:
            path = f"/console/customers/{world['customer_id']}/messages/{message_id}/photos"
            assert client.get(f"{path}/0", follow_redirects=False).status_code == 303  # log in first
            log_in(client, "agent@example.com")
            assert f'src="{path}/0"' in client.get(f"/console/customers/{world['customer_id']}").text
            photo = client.get(f"{path}/0")
            assert photo.status_code == 200 and photo.content == PNG and photo.headers["content-type"] == "image/png"
            assert _PhotoServer.seen_auth[-1].startswith("Basic ")
            assert client.get(f"{path}/1").status_code == 404  # not Twilio's host: never fetched
            assert client.get(f"{path}/2").status_code == 404
            assert (
                client.get(f"/console/customers/{world['customer_id'] + 1}/messages/{message_id}/photos/0").status_code
                == 404
            )
    finally:
        server.shutdown()


def _request(app) -> Request:
    return Request({"type": "http", "app": app, "session": {}, "headers": [], "method": "GET", "path": "/"})


def test_live_events_say_what_changed(console, world, session_factory, monkeypatch):
    import bot.services.escalations as escalations

    minute = escalations.utcnow().replace(second=0, microsecond=0)
    monkeypatch.setattr(escalations, "utcnow", lambda: minute)  # the queue also moves every minute
    agent = CurrentAgent(1, "agent@example.com", AgentRole.AGENT)
    factory = console.app.state.factory
    queue_tab = live.Watch(customer_id=None, on_queue=True)
    talk_tab = live.Watch(customer_id=world["customer_id"], on_queue=False)
    request = _request(console.app)

    def events(watch):
        return {e.event: e.data for e in live._changes(factory, request, agent, watch)}

    first = events(queue_tab)
    assert first["badge"] == "1" and "alert" not in first  # nothing is new when a tab connects
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; I want a PERSON" in first["queue"]
    assert set(events(talk_tab)) == {"badge", "transcript", "panel"}
    assert events(queue_tab) == {} and events(talk_tab) == {}  # nothing changed
    with session_factory.begin() as s:
        other = factories.customer(s, s.scalar(select(Campaign)), "+919812300099", None, name="Ravi Kumar")
        record_escalation(s, customer_id=other.id, reason="report_hazard", text="smoke <b>everywhere</b>")
    changed = events(queue_tab)
    assert changed["badge"] == "2" and "smoke &lt;b&gt;everywhere&lt;/b&gt;" in changed["alert"]
    assert changed["queue"].index("Ravi Kumar") < changed["queue"].index("Asha Rao")  # urgent first
    assert set(events(talk_tab)) == {"badge", "alert"}  # every open tab hears of it
    with session_factory.begin() as s:
        _inbound(s, world["customer_id"], "hello?? anyone")
    changed = events(talk_tab)
    assert set(changed) == {"transcript", "panel"} and "hello?? anyone" in changed["transcript"]


def test_a_dashboard_tab_gets_the_figures_then_only_changes(console, world, session_factory, monkeypatch):
    import json

    agent = CurrentAgent(1, "agent@example.com", AgentRole.AGENT)
    tab = live.Watch(customer_id=None, on_queue=False, campaign="arctica-ff260-valve-2026")
    request = _request(console.app)

    def events():
        tab.dashboard_due = 0.0  # as if DASHBOARD_SECONDS had passed
        return {e.event: e.data for e in live._changes(console.app.state.factory, request, agent, tab)}

    first = json.loads(events()["dashboard"])
    assert first["status"]["customers"] == 1 and first["status"]["escalated"] == 1
    assert "dashboard" not in events()  # nothing changed
    with session_factory.begin() as s:
        factories.customer(s, s.scalar(select(Campaign)), "+919812300077", None, name="Meera Iyer")
    assert json.loads(events()["dashboard"])["status"]["customers"] == 2


def test_an_agent_approves_or_rejects_a_goodwill_claim(console, session_factory):
    """A claim the bot recorded shows on the customer's page (its queue line says why) and
    is decided there, with an audit event; the claim's escalation is then resolved."""
    from decimal import Decimal

    from bot.models import ClaimStatus, Escalation, GoodwillClaim, GoodwillKind
    from bot.services.goodwill import record_claim

    with session_factory.begin() as s:
        add_agent(s, "agent@example.com", PASSWORD, "agent")
        campaign = factories.demo_campaign(s)
        customer = factories.customer(s, campaign, PHONE, name="Meena Iyer")
        s.add(Conversation(customer_id=customer.id, sender_id="c-gw"))
        s.flush()
        photo = _inbound(s, customer.id, "", media=[{"url": "http://127.0.0.1:9/x.png", "content_type": "image/png"}])
        food = record_claim(
            s,
            customer_id=customer.id,
            kind=GoodwillKind.SPOILED_FOOD,
            text="milk and paneer spoiled, about rs 1500",
            amount=Decimal("1500"),
            now=utcnow(),
            receipt_required=True,
        ).claim
        s.get(GoodwillClaim, food.id).receipt_message_id = photo.id
        discount = record_claim(
            s,
            customer_id=customer.id,
            kind=GoodwillKind.DISCOUNT,
            text="discount on a new one?",
            amount=None,
            now=utcnow(),
        ).claim
        customer_id = customer.id
    log_in(console, "agent@example.com")
    queue = console.get("/console").text
    assert "goodwill claim" in queue and food.reference in queue
    page = console.get(f"/console/customers/{customer_id}").text
    assert food.reference in page and "₹1,500 asked" in page and "spoiled food" in page
    assert f"/console/customers/{customer_id}/messages/{photo.id}/photos/0" in page
    assert discount.reference in page and "goodwill claim · normal · open" in page

    assert (
        _post(console, f"/console/customers/{customer_id}/claims/{food.id}/approve", note="paid ₹1,500").status_code
        == 303
    )
    assert _post(console, f"/console/customers/{customer_id}/claims/{food.id}/reject").status_code == 303  # decided
    assert _post(console, f"/console/customers/{customer_id}/claims/{discount.id}/maybe").status_code == 404
    with session_factory() as s:
        assert s.get(GoodwillClaim, food.id).status is ClaimStatus.APPROVED
        assert s.scalar(select(Escalation.status)).value == "open"  # the discount still waits
    assert _post(console, f"/console/customers/{customer_id}/claims/{discount.id}/reject").status_code == 303
    with session_factory() as s:
        assert s.get(GoodwillClaim, discount.id).status is ClaimStatus.REJECTED
        assert s.get(GoodwillClaim, discount.id).decided_by == "agent@example.com"
        assert s.scalar(select(Escalation.status)).value == "resolved"
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("goodwill.%"))))
        assert actions == ["goodwill.claimed", "goodwill.claimed", "goodwill.approved", "goodwill.rejected"]
    page = console.get(f"/console/customers/{customer_id}").text
    assert "approved by agent@example.com: paid ₹1,500" in page and 'data-action="approve-claim"' not in page
