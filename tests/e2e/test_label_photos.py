"""A photo of the label instead of the typed serial, end to end as the phones send it: the
Twilio simulator serves the photo behind Basic auth at a Twilio-style media URL, the gateway
fetches it with the account's credentials, reads it on the CPU (bot/ocr) and Rasa asks
"Is your serial …? Reply YES or NO."; nothing is verified before the YES. An unreadable
photo gets the tip, a second one the offer of a person; a media URL outside Twilio's host is
never fetched."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot.models import LabelPhoto, Message, PhotoReading
from bot.settings import PROJECT_ROOT
from tests.e2e.stack import TOKEN
from tests.support.not_twilio import RecordingServer, recording_server

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]
# The demo's photo of a label (photo 14 of the generated set, tests/label_photos, seed 18).
LABEL_PHOTO, LABEL_SERIAL = PROJECT_ROOT / "demo" / "label-photo.jpg", "AR26D580551"


def label_photo() -> tuple[str, bytes, str, str]:
    """(filename, JPEG bytes, content type, the serial on it)."""
    return "label.jpg", LABEL_PHOTO.read_bytes(), "image/jpeg", LABEL_SERIAL


def no_label_photo() -> tuple[str, bytes, str]:
    """A photo of a kitchen wall: shapes and colours, no text."""
    image = Image.new("RGB", (1200, 900), (182, 170, 150))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.rectangle((80 * i, 60 * (i % 5), 80 * i + 140, 60 * (i % 5) + 300), fill=(40 + 15 * i, 90, 160 - 9 * i))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return "wall.jpg", buffer.getvalue(), "image/jpeg"


def photos_of(dialogue, phone: str) -> list[LabelPhoto]:
    with _db(dialogue) as s:
        return list(
            s.scalars(
                select(LabelPhoto)
                .join(Message, Message.id == LabelPhoto.message_id)
                .where(Message.from_address.in_([phone, f"whatsapp:{phone}"]))
                .order_by(LabelPhoto.id)
            )
        )


def _db(dialogue):
    from bot.db import make_engine, make_session_factory

    return make_session_factory(make_engine(dialogue.database_url))()


def test_a_photo_on_whatsapp_is_read_confirmed_and_verified(dialogue):
    phone = "+919812377001"  # a stranger: no serial on file
    chat = dialogue.chat(phone)
    chat.say("hi", channel="whatsapp")
    filename, data, kind, serial = label_photo()
    asked = chat.say("", channel="whatsapp", photo=(filename, data, kind))
    assert asked == f"Is your serial {serial}? Reply YES or NO."
    assert dialogue.customer(phone)["verified"] is False  # nothing on the bot's guess
    reply = chat.say("yes", channel="whatsapp")
    assert f"{serial} is one of the affected" in reply
    assert "1. Free repair at your home" in reply and "3. A full refund" in reply
    assert dialogue.customer(phone)["verified"] is True
    (photo,) = photos_of(dialogue, phone)
    assert (photo.reading, photo.serial) == (PhotoReading.READ, serial)
    assert photo.data and photo.data != data  # the copy kept is re-encoded, its metadata gone
    assert Image.open(io.BytesIO(photo.data)).getexif() == {}


def test_no_to_the_serial_read_verifies_nothing(dialogue):
    phone = "+919812377002"
    chat = dialogue.chat(phone)
    chat.say("hello", channel="whatsapp")
    filename, data, kind, serial = label_photo()
    assert chat.say("", channel="whatsapp", photo=(filename, data, kind)).startswith(f"Is your serial {serial}?")
    again = chat.say("no", channel="whatsapp")
    assert "OK." in again and "serial number" in again
    assert dialogue.customer(phone)["verified"] is False


def test_an_unreadable_photo_gets_the_tip_and_two_offer_a_person(dialogue):
    phone = "+919812377003"
    chat = dialogue.chat(phone)
    chat.say("hi", channel="whatsapp")
    tip = chat.say("yeh lo photo", channel="whatsapp", photo=no_label_photo())
    assert tip.startswith("I couldn't read the serial number on that photo.")
    assert "closer to the label, in good light and straight on, or type the serial number" in tip
    offer = chat.say("", channel="whatsapp", photo=no_label_photo())
    assert "Would you like a person from our team to help?" in offer
    handed = chat.say("yes", channel="whatsapp")
    assert "person" in handed.lower()
    assert [p.reading for p in photos_of(dialogue, phone)] == [PhotoReading.UNREADABLE, PhotoReading.UNREADABLE]


@pytest.fixture
def elsewhere() -> Iterator[RecordingServer]:
    with recording_server(label_photo()[1]) as server:
        yield server


def test_a_media_url_outside_twilios_host_is_never_fetched(dialogue, elsewhere):
    phone = "+919812377004"
    chat = dialogue.chat(phone)
    chat.say("hi", channel="whatsapp")
    app = dialogue.gateway.app
    params = {
        "MessageSid": "MM" + "e" * 32,
        "AccountSid": dialogue.gateway.sim.config.account_sid,
        "From": f"whatsapp:{phone}",
        "To": dialogue.gateway.sim.config.sender_for("whatsapp"),
        "Body": "",
        "NumMedia": "1",
        "MediaUrl0": f"{elsewhere.url}/label.jpg",
        "MediaContentType0": "image/jpeg",
    }
    url = f"{app.url}/twilio/inbound"
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    assert httpx.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10).status_code == 200
    deadline = time.monotonic() + 60
    while not photos_of(dialogue, phone) and time.monotonic() < deadline:
        time.sleep(0.2)
    (photo,) = photos_of(dialogue, phone)
    assert (photo.reading, photo.reason, photo.data) == (PhotoReading.UNAVAILABLE, "not_twilio_host", None)
    assert elsewhere.requests == []
