"""A photo of the label while the serial is asked (bot/gateway/label_photos.py): what Rasa is
sent, what is kept, and what is never fetched — the gateway in-process with a stand-in Rasa.
The whole path with the real Rasa, OCR and the Twilio simulator: tests/e2e/test_label_photos.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.domain.label_text import TextLine
from bot.gateway.label_photos import LabelPhotoReader, label_photo_reader, reads_as_label_photo
from bot.models import LabelPhoto, PhotoReading
from bot.settings import Settings
from bot.twilio.media import FetchedPhoto, PhotoUnavailable, Unavailable
from tests.gateway.support import running_gateway
from tests.support.not_twilio import RecordingServer, recording_server

TWILIO_PHOTO = ("https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1", "image/jpeg")


class FakeTwilio:
    """Hands over a photo for each URL it knows; what it was asked for."""

    def __init__(self, photos: dict[str, bytes]) -> None:
        self.photos = photos
        self.fetched: list[str] = []

    def __call__(self, url: str) -> FetchedPhoto:
        self.fetched.append(url)
        if url not in self.photos:
            raise PhotoUnavailable(Unavailable.HTTP_STATUS, "404")
        return FetchedPhoto(self.photos[url], "image/jpeg", 100, 50, "0" * 64)


def fake_ocr(data: bytes) -> list[TextLine]:
    return [TextLine(line, 0.9) for line in data.decode().split("|")]


@pytest.fixture
def photo_gateway(session_factory):
    twilio = FakeTwilio({TWILIO_PHOTO[0]: b"ARCTICA|Model: FF260|S/N: AR26D0O4512"})
    reader = LabelPhotoReader(session_factory, fetch=twilio, read_label=fake_ocr, engine="fake")
    with running_gateway(session_factory, photos=reader) as gateway:
        gateway.twilio = twilio
        yield gateway


def _photos(factory) -> list[LabelPhoto]:
    with factory() as s:
        return list(s.scalars(select(LabelPhoto).order_by(LabelPhoto.id)))


def test_the_serial_read_goes_to_rasa_for_the_customers_yes(photo_gateway):
    photo_gateway.inbound("", channel="whatsapp", media=[TWILIO_PHOTO])
    photo_gateway.settle()
    assert photo_gateway.rasa.turns[-1][1] == '/photo_serial{"serial": "AR26D004512"}'
    (photo,) = _photos(photo_gateway.factory)
    assert (photo.reading, photo.serial, photo.model, photo.engine) == (
        PhotoReading.READ,
        "AR26D004512",
        "FF260",
        "fake",
    )
    assert photo.data and "S/N: AR26D0O4512" in photo.text
    assert photo.candidates[0] == {"serial": "AR26D004512", "substitutions": 1, "confidence": 0.9}


@pytest.mark.parametrize("body", ["", "here", "this is the label", "yeh lo photo"])
def test_a_few_words_beside_the_photo_still_read_it(photo_gateway, body):
    photo_gateway.inbound(body, media=[TWILIO_PHOTO])
    photo_gateway.settle()
    assert photo_gateway.rasa.turns[-1][1].startswith("/photo_serial")


@pytest.mark.parametrize(
    "body",
    ["is this the right one? the label is faded", "AR26D004512 here is the photo", "can you send someone tomorrow"],
)
def test_a_message_of_its_own_beside_the_photo_goes_to_rasa_as_words(photo_gateway, body):
    photo_gateway.inbound(body, media=[TWILIO_PHOTO])
    photo_gateway.settle()
    assert photo_gateway.rasa.turns[-1][1] == body
    assert photo_gateway.twilio.fetched == []


def test_nothing_read_and_not_fetched_are_both_unreadable(photo_gateway):
    photo_gateway.twilio.photos["https://api.twilio.com/blank"] = b"ARCTICA|220-240V ~ 50Hz"
    photo_gateway.inbound("", media=[("https://api.twilio.com/blank", "image/jpeg")])
    photo_gateway.inbound("", media=[("https://api.twilio.com/gone", "image/jpeg")])
    photo_gateway.settle()
    assert [text for _, text in photo_gateway.rasa.turns[-2:]] == ["/photo_unreadable", "/photo_unreadable"]
    blank, gone = _photos(photo_gateway.factory)
    assert (blank.reading, blank.serial) == (PhotoReading.UNREADABLE, None)
    assert (gone.reading, gone.reason, gone.data) == (PhotoReading.UNAVAILABLE, "http_status", None)


def test_not_asked_for_the_serial_the_photo_is_only_kept(photo_gateway):
    photo_gateway.rasa.waiting_for_serial = False
    photo_gateway.inbound("", media=[TWILIO_PHOTO])
    photo_gateway.settle()
    assert photo_gateway.sender.sent[-1]["body"].startswith("Thanks, we have received your photo.")
    assert photo_gateway.twilio.fetched == [] and not photo_gateway.rasa.turns


def test_the_second_photo_is_read_when_the_first_shows_no_serial(photo_gateway):
    photo_gateway.twilio.photos["https://api.twilio.com/front"] = b"ARCTICA|FrostFree 260"
    photo_gateway.inbound("", media=[("https://api.twilio.com/front", "image/jpeg"), TWILIO_PHOTO])
    photo_gateway.settle()
    assert photo_gateway.rasa.turns[-1][1] == '/photo_serial{"serial": "AR26D004512"}'
    assert [p.media_index for p in _photos(photo_gateway.factory)] == [0, 1]


def test_a_photo_read_once_is_not_fetched_again(photo_gateway, session_factory):
    photo_gateway.inbound("", media=[TWILIO_PHOTO])
    photo_gateway.settle()
    (photo,) = _photos(session_factory)
    reader = LabelPhotoReader(session_factory, fetch=photo_gateway.twilio, read_label=fake_ocr)
    from bot.campaigns.definition import parse_definition
    from bot.gateway.label_photos import PhotoTurn
    from bot.models import Campaign

    with session_factory() as s:
        campaign = s.scalar(select(Campaign))
        definition = parse_definition(campaign.definition, campaign.slug)
    again = reader(PhotoTurn(photo.message_id, photo.customer_id, campaign.id, definition))
    assert again == "AR26D004512" and photo_gateway.twilio.fetched == [TWILIO_PHOTO[0]]


@pytest.mark.parametrize(
    ("body", "num_media", "expected"),
    [
        ("", 1, True),
        ("here it is", 1, True),
        ("", 0, False),
        ("what is this about?", 1, False),
        ("AR26D004512", 1, False),
        ("one two three four five six seven", 1, False),
        ("refund chahiye", 1, False),
        ("yeh lo photo", 1, True),
        ("यह लो फोटो", 1, True),
        ("Here is the pic of the label.", 1, True),
    ],
)
def test_reads_as_label_photo(body, num_media, expected):
    assert reads_as_label_photo(body, num_media) is expected


# ---------------------------------------------------------------------- never fetched


@pytest.fixture
def elsewhere() -> Iterator[RecordingServer]:
    with recording_server() as server:
        yield server


@pytest.mark.parametrize(
    "path_of",
    [
        lambda host: f"{host}/label.jpg",
        lambda host: f"https://api.twilio.com@{host.removeprefix('http://')}/label.jpg",  # userinfo trick
    ],
)
def test_a_media_url_outside_twilio_is_never_fetched(session_factory, elsewhere, path_of):
    settings = Settings(database_url="sqlite://", twilio_api_url="https://api.twilio.com")
    reader = label_photo_reader(settings, session_factory)
    assert reader is not None
    with running_gateway(session_factory, photos=reader) as gateway:
        gateway.inbound("", channel="whatsapp", media=[(path_of(elsewhere.url), "image/jpeg")])
        gateway.settle()
        assert gateway.rasa.turns[-1][1] == "/photo_unreadable"
    assert elsewhere.requests == []
    (photo,) = _photos(session_factory)
    assert (photo.reading, photo.reason) == (PhotoReading.UNAVAILABLE, "not_twilio_host")


def test_reading_photos_can_be_switched_off(session_factory):
    assert label_photo_reader(Settings(database_url="sqlite://", read_label_photos=False), session_factory) is None
