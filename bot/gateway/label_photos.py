"""A photo sent while the serial is asked: fetched from Twilio (bot/twilio/media.py: Twilio's
hosts only, a size limit, images only, metadata stripped), read on this machine's CPU
(bot/ocr), the serials on it ranked for the customer, and every photo kept with what was
read (`label_photos`). What Rasa is then sent: the serial read, for the customer's YES
(`/photo_serial{"serial": …}`), or that nothing could be read (`/photo_unreadable`);
docs/conversation.md, "A photo of the label".

Runs in the worker, after the webhook was acknowledged, in a thread (the fetch and the OCR
block). A message handled again after a crash is not fetched or read again: its photos'
rows answer."""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session, sessionmaker

from bot.campaigns.definition import CampaignDefinition
from bot.conversation.understanding import PHOTO_SERIAL, PHOTO_UNREADABLE
from bot.db import run_in_write_transaction
from bot.domain.label_text import TextLine
from bot.models import Message, PhotoReading
from bot.services.label_photos import PhotoRecord, photos_of_message, rank_label, record_photo
from bot.settings import Settings
from bot.twilio.media import FetchedPhoto, PhotoUnavailable, fetch_photo

log = logging.getLogger(__name__)

MAX_PHOTOS_READ = 3  # of one message; the rest are kept at Twilio, shown in the console
_WORD = re.compile(r"[^\s.,;:!?()\"'-]+")  # Devanagari vowel signs are not \w
# Words that only say what a photo is, in English, Hinglish and Hindi.
CAPTION_WORDS = frozenset(
    """
    here is the this my a an of it its see attached pic pics picture photo photos image snap label sticker
    serial number no sn s n plate back door inside fridge refrigerator ok okay please pls sir madam maam ji
    yeh ye yah lo dekho dekhiye hai hain h mera meri mere ka ki ke wala wali ki photu foto
    यह ये लो देखो देखिए है हैं मेरा मेरी का की के फोटो फ़ोटो तस्वीर लेबल सीरियल नंबर जी
    """.split()  # noqa: SIM905 (a word list to read)
)

Fetch = Callable[[str], FetchedPhoto]
ReadLabel = Callable[[bytes], Sequence[TextLine]]


def reads_as_label_photo(body: str, num_media: int) -> bool:
    """A photo alone, or with words that only say what it is ("here is the label", "yeh lo
    photo"): anything else the customer wrote beside it ("refund chahiye", a question, a
    serial typed) goes to Rasa as their words, and the photo is kept for the console."""
    return bool(num_media) and all(word in CAPTION_WORDS for word in _WORD.findall((body or "").lower()))


def rasa_message(serial: str | None) -> str:
    """What Rasa is sent for the photo: the serial read (its intent syntax), or unreadable."""
    if serial is None:
        return f"/{PHOTO_UNREADABLE}"
    return f"/{PHOTO_SERIAL}{json.dumps({'serial': serial})}"


@dataclass(frozen=True)
class PhotoTurn:
    message_id: int
    customer_id: int
    campaign_id: int
    definition: CampaignDefinition


class LabelPhotoReader:
    def __init__(
        self, factory: sessionmaker[Session], *, fetch: Fetch, read_label: ReadLabel, engine: str = ""
    ) -> None:
        self.factory = factory
        self.fetch = fetch
        self.read_label = read_label
        self.engine = engine

    def __call__(self, turn: PhotoTurn) -> str | None:
        """The serial to offer from the message's photos (the first photo with one), or None."""
        with self.factory() as session:
            kept = photos_of_message(session, turn.message_id)
            message = session.get(Message, turn.message_id)
            media = list(message.media or []) if message is not None else []
        if kept:
            return next((p.serial for p in kept if p.serial), None)
        for index, item in enumerate(media[:MAX_PHOTOS_READ]):
            serial = self._read_one(turn, index, str(item.get("url") or ""))
            if serial is not None:
                return serial
        return None

    def _read_one(self, turn: PhotoTurn, index: int, url: str) -> str | None:
        try:
            photo = self.fetch(url)
        except PhotoUnavailable as exc:
            log.warning("message %s photo %s not read: %s", turn.message_id, index, exc.reason)
            self._keep(turn, PhotoRecord(index, PhotoReading.UNAVAILABLE, reason=str(exc.reason)), None)
            return None
        started = time.perf_counter()
        try:
            lines = tuple(self.read_label(photo.data))
        except Exception:  # a photo the engine chokes on is an unreadable photo, not a lost turn
            log.exception("message %s photo %s: the OCR engine failed", turn.message_id, index)
            lines = ()
        elapsed_ms = round((time.perf_counter() - started) * 1000)
        record = PhotoRecord(
            index,
            PhotoReading.UNREADABLE,
            content_type=photo.content_type,
            data=photo.data,
            sha256=photo.sha256,
            lines=lines,
            engine=self.engine,
            read_ms=elapsed_ms,
        )
        return self._keep(turn, record, lines)

    def _keep(self, turn: PhotoTurn, record: PhotoRecord, lines: Sequence[TextLine] | None) -> str | None:
        def work(session: Session) -> str | None:
            final = record
            if lines:
                read = rank_label(
                    session,
                    campaign_id=turn.campaign_id,
                    customer_id=turn.customer_id,
                    definition=turn.definition,
                    lines=lines,
                )
                reading = PhotoReading.READ if read.serial else PhotoReading.UNREADABLE
                final = replace(record, read=read, reading=reading)
            return record_photo(session, message_id=turn.message_id, customer_id=turn.customer_id, record=final).serial

        return run_in_write_transaction(self.factory, work)


def label_photo_reader(settings: Settings, factory: sessionmaker[Session]) -> LabelPhotoReader | None:
    """The reader the worker uses (None when READ_LABEL_PHOTOS is off): Twilio's media with
    the account's credentials, the OCR engine of bot/ocr."""
    if not settings.read_label_photos:
        return None
    from bot.ocr import engine_name, read_label  # the engine's libraries load only where photos are read

    return LabelPhotoReader(
        factory, fetch=functools.partial(fetch_photo, settings), read_label=read_label, engine=engine_name()
    )
