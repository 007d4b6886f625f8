"""One message of the bot's answer: its text and a picture sent with it (the serial
label's, `serial_hint_image`). The picture goes only on WhatsApp, as the image of the
message carrying the text (WhatsApp shows the text as its caption); SMS sends the text alone.

A `Reply` is a `str` (its text) with the picture's URL beside it: everything that takes
the bot's texts as `list[str]` keeps working, and only the reply sender looks at
`media_url` (a str method such as strip() gives a plain str, without it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.domain.sms import utf16_units


class Reply(str):
    media_url: str | None

    def __new__(cls, text: str, media_url: str | None = None) -> Reply:
        reply = super().__new__(cls, text)
        reply.media_url = media_url or None
        return reply

    def __repr__(self) -> str:
        return f"Reply({str(self)!r}, media_url={self.media_url!r})"


def media_url_of(text: str) -> str | None:
    """The picture sent with `text` (None for a plain str)."""
    return text.media_url if isinstance(text, Reply) else None


def collect_output(messages: Iterable[dict[str, Any]]) -> list[Reply]:
    """Rasa's REST channel output (or the bot events of a tracker, as {"text", "image"})
    as replies: an image joins the text before it (Rasa splits an utterance's text at
    blank lines and sends its image after it, as an item of its own), else the text
    after it; an image with no text at all is dropped (the bot never sends one alone)."""
    replies: list[Reply] = []
    waiting: str | None = None  # an image before any text
    for message in messages:
        text, image = message.get("text") or "", message.get("image") or None
        if text:
            replies.append(Reply(text, image or waiting))
            waiting = None
        elif image and replies and replies[-1].media_url is None:
            replies[-1] = Reply(replies[-1], image)
        elif image and not replies:
            waiting = image
    return replies


# WhatsApp shows a media message's text as the picture's caption, at most 1,024 characters
# (Meta's limit); one picture per message (Twilio ignores the others).
MAX_CAPTION = 1024


def pictures_of_parts(parts: list[str], texts: Iterable[str]) -> list[str | None]:
    """The picture each part of a split reply carries: a text's picture goes on the part
    holding that text (else the part where it starts), the first picture of a part only,
    and none on a part too long to be its caption."""
    pictures: list[str | None] = [None] * len(parts)
    for text in texts:
        url, text = media_url_of(text), text.strip()
        if not url or not text:
            continue
        index = next((i for i, part in enumerate(parts) if text in part), None)
        if index is None:
            index = next((i for i, part in enumerate(parts) if text[:40] in part), len(parts) - 1)
        if 0 <= index < len(parts) and pictures[index] is None and utf16_units(parts[index]) <= MAX_CAPTION:
            pictures[index] = url
    return pictures
