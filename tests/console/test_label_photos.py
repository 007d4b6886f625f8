"""Photos of the label in the console (issue 18): the copy the bot kept is served without
asking Twilio, and the transcript says beside each photo what the bot read on it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.console import conversation
from bot.domain.label_text import SerialCandidate, TextLine
from bot.models import Author, Channel, Conversation, Direction, PhotoReading
from bot.services.agents import add_agent
from bot.services.label_photos import LabelRead, PhotoRecord, record_photo
from bot.services.transcript import conversation_version, reading_note
from bot.settings import Settings
from bot.web import create_app
from tests import factories
from tests.console.test_console import PASSWORD, log_in
from tests.console.test_conversation import PNG, _inbound
from tests.gateway.support import StubSender

TWILIO = "http://127.0.0.1:9"  # TWILIO_API_URL: nothing listens there
SAFE_HEADERS = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox",
    "cache-control": "private, max-age=3600",
}


def _media(n: int = 1) -> list[dict[str, str]]:
    return [{"url": f"{TWILIO}/Media/ME{i}", "content_type": "image/jpeg"} for i in range(n)]


def _read(serial: str, model: str | None = None) -> LabelRead:
    return LabelRead((SerialCandidate(serial, 0, 0.93, f"S/N {serial}"),), model)


@pytest.fixture
def world(session_factory):
    """An agent, and two customers of the demo recall."""
    with session_factory.begin() as s:
        add_agent(s, "agent@example.com", PASSWORD, "agent")
        campaign = factories.demo_campaign(s)
        asha = factories.customer(s, campaign, "+919812300001", name="Asha Rao")
        ravi = factories.customer(s, campaign, "+919812300002", "AR26D004513", name="Ravi Kumar")
        for customer in (asha, ravi):
            s.add(Conversation(customer_id=customer.id, sender_id=f"c-{customer.id}", last_channel=Channel.SMS))
        return {"asha": asha.id, "ravi": ravi.id}


@pytest.fixture
def twilio_calls(monkeypatch):
    """Every fetch from Twilio the photo route makes (answered with a stand-in photo)."""
    calls: list[str] = []

    def fetch(settings, url):
        calls.append(url)
        return conversation.kept_photo(b"from-twilio", "image/png")

    monkeypatch.setattr(conversation, "fetch_photo", fetch)
    return calls


@pytest.fixture
def console(session_factory, world):
    settings = Settings(
        database_url="sqlite://",
        console_secret_key="test-secret",
        public_base_url="http://testserver",
        twilio_api_url=TWILIO,
    )
    app = create_app(settings, factory=session_factory, sender=StubSender(), inline_processing=False)
    with TestClient(app, base_url="http://testserver") as client:
        log_in(client, "agent@example.com")
        yield client


def test_the_kept_copy_is_served_without_asking_twilio(console, world, session_factory, twilio_calls):
    with session_factory.begin() as s:
        message = _inbound(s, world["asha"], "", media=_media(2))
        record = PhotoRecord(0, PhotoReading.READ, content_type="image/png", data=PNG, read=_read("AR26D004512"))
        record_photo(s, message_id=message.id, customer_id=world["asha"], record=record)
        message_id = message.id
    path = f"/console/customers/{world['asha']}/messages/{message_id}/photos"

    kept = console.get(f"{path}/0")
    assert kept.status_code == 200 and kept.content == PNG and kept.headers["content-type"] == "image/png"
    assert {k: kept.headers[k] for k in SAFE_HEADERS} == SAFE_HEADERS
    assert twilio_calls == []

    assert console.get(f"{path}/1").content == b"from-twilio"  # no copy kept: fetched as before
    assert twilio_calls == [f"{TWILIO}/Media/ME1"]


def test_a_photo_not_fetched_by_the_bot_is_fetched_from_twilio(console, world, session_factory, twilio_calls):
    with session_factory.begin() as s:
        message = _inbound(s, world["asha"], "", media=_media())
        record = PhotoRecord(0, PhotoReading.UNAVAILABLE, reason="timeout")
        record_photo(s, message_id=message.id, customer_id=world["asha"], record=record)
        message_id = message.id
    assert console.get(f"/console/customers/{world['asha']}/messages/{message_id}/photos/0").status_code == 200
    assert twilio_calls == [f"{TWILIO}/Media/ME0"]


def test_another_customers_photo_is_not_found(console, world, session_factory, twilio_calls):
    with session_factory.begin() as s:
        message = _inbound(s, world["ravi"], "", media=_media())
        record = PhotoRecord(0, PhotoReading.READ, content_type="image/png", data=PNG, read=_read("AR26D004513"))
        record_photo(s, message_id=message.id, customer_id=world["ravi"], record=record)
        message_id = message.id
    assert console.get(f"/console/customers/{world['asha']}/messages/{message_id}/photos/0").status_code == 404
    assert console.get(f"/console/customers/{world['ravi']}/messages/{message_id}/photos/1").status_code == 404
    assert console.get(f"/console/customers/{world['ravi']}/messages/{message_id}/photos/0").status_code == 200
    assert twilio_calls == []


def test_a_kept_copy_of_another_type_is_a_download_never_rendered():
    response = conversation.kept_photo(b"<svg onload=alert(1)>", "image/svg+xml")
    assert response.media_type == "application/octet-stream"
    assert response.headers["content-disposition"] == "attachment"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_transcript_says_what_the_bot_read_on_each_photo(console, world, session_factory):
    records = [
        PhotoRecord(
            0,
            PhotoReading.READ,
            content_type="image/png",
            data=PNG,
            lines=(TextLine("MODEL FF260", 0.9), TextLine("S/N AR26D004512", 0.93)),
            read=_read("AR26D004512", "FF260"),
        ),
        PhotoRecord(0, PhotoReading.UNREADABLE, content_type="image/png", data=PNG, lines=(TextLine("ARCTICA", 0.8),)),
        PhotoRecord(0, PhotoReading.UNAVAILABLE, reason="too_large"),
    ]
    with session_factory.begin() as s:
        for record in records:
            message = _inbound(s, world["asha"], "", media=_media())
            record_photo(s, message_id=message.id, customer_id=world["asha"], record=record)
        _inbound(s, world["asha"], "here is another one", media=_media())  # not read by the bot
    page = console.get(f"/console/customers/{world['asha']}").text
    assert "Serial read: AR26D004512 · model FF260" in page
    assert 'title="Text read: MODEL FF260\nS/N AR26D004512"' in page
    assert "No serial read" in page
    assert "Not fetched (too large)" in page
    assert page.count('class="meta photo-reading"') == 3


@pytest.mark.parametrize(
    ("reading", "serial", "model", "reason", "note"),
    [
        (PhotoReading.READ, "AR26D004512", None, None, "Serial read: AR26D004512"),
        (PhotoReading.READ, "AR26D004512", "FF260", None, "Serial read: AR26D004512 · model FF260"),
        (PhotoReading.UNREADABLE, None, None, None, "No serial read"),
        (PhotoReading.UNREADABLE, None, "FF260", None, "No serial read · model FF260"),
        (PhotoReading.UNAVAILABLE, None, None, "not_twilio_host", "Not fetched (not at Twilio)"),
        (PhotoReading.UNAVAILABLE, None, None, "too_large", "Not fetched (too large)"),
        (PhotoReading.UNAVAILABLE, None, None, "not_an_image", "Not fetched (not an image)"),
        (PhotoReading.UNAVAILABLE, None, None, "timeout", "Not fetched (timeout)"),
        (PhotoReading.UNAVAILABLE, None, None, "network", "Not fetched (network)"),
        (PhotoReading.UNAVAILABLE, None, None, "http_status", "Not fetched (Twilio answered with an error)"),
        (PhotoReading.UNAVAILABLE, None, None, "something_new", "Not fetched (something new)"),
        (PhotoReading.UNAVAILABLE, None, None, None, "Not fetched"),
    ],
)
def test_reading_notes(reading, serial, model, reason, note):
    assert reading_note(reading, serial, model, reason) == note


def test_the_live_transcript_moves_when_a_photo_is_read(world, session_factory):
    with session_factory.begin() as s:
        message = _inbound(s, world["asha"], "", media=_media())
        message_id = message.id
    with session_factory() as s:
        before = conversation_version(s, world["asha"])
    with session_factory.begin() as s:
        record = PhotoRecord(0, PhotoReading.UNREADABLE, content_type="image/png", data=PNG)
        record_photo(s, message_id=message_id, customer_id=world["asha"], record=record)
    with session_factory() as s:
        assert conversation_version(s, world["asha"]) != before


def test_the_bots_own_picture_of_where_the_serial_is_opens_from_the_app(console, world, session_factory, twilio_calls):
    """The serial question on WhatsApp carries the campaign's picture (an outbound message):
    the console shows it from the app's own public route, never through Twilio."""
    picture = "http://testserver/campaign-media/arctica-ff260-valve-2026/serial-hint.png"
    with session_factory.begin() as s:
        message = _inbound(s, world["asha"], "Please send the serial number.", media=[])
        message.direction, message.author = Direction.OUTBOUND, Author.BOT
        message.media, message.num_media = [{"url": picture, "content_type": "image/png"}], 1
        message_id = message.id
    response = console.get(f"/console/customers/{world['asha']}/messages/{message_id}/photos/0", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (307, picture)
    assert twilio_calls == []
