"""The campaign's picture of where the serial label is (`serial_hint_image`): an https URL,
or a PNG/JPEG file beside the campaign YAML, read when the YAML is read, stored with the
campaign and served by the web app at `serial_hint_path(slug, suffix)`
(bot/gateway/campaign_media.py) for Twilio to fetch; the path ends with the file's own
suffix (.png, .jpg), which must say what the file is. WhatsApp only: the serial question
carries it (actions/hint_image.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_IMAGE_BYTES = 500 * 1024
_URL = re.compile(r"^https://[^\s/?#]+\.[^\s/?#]+(/\S*)?$")
_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}  # by suffix
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


@dataclass(frozen=True)
class HintImage:
    """An image file's bytes and their media type."""

    content: bytes
    content_type: str


def is_url(value: str) -> bool:
    return value.startswith("https://")


def check_reference(value: str) -> str:
    """An https URL, or a path to a .png/.jpg/.jpeg relative to the campaign file (the
    file itself is checked when the YAML is read: `read_hint_image`)."""
    if "://" in value:
        if not _URL.match(value):
            raise ValueError(f"{value!r} is not an https address like https://www.example.com/label.png")
        return value
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", value):
        raise ValueError(f"{value!r}: give a path relative to the campaign file (no '..'), or an https URL")
    if path.suffix.lower() not in _TYPES:
        raise ValueError(f"{value!r} is not a .png or .jpg file, nor an https URL")
    return value


def image_type(content: bytes) -> str | None:
    """image/png or image/jpeg by the file's own signature, else None."""
    if content.startswith(_PNG) and content[12:16] == b"IHDR":
        return "image/png"
    if content.startswith(_JPEG):
        return "image/jpeg"
    return None


def read_hint_image(campaign_file: Path, value: str) -> HintImage:
    """The image `value` names beside `campaign_file`; ValueError says what is wrong."""
    path = campaign_file.parent / value
    if not path.is_file():
        raise ValueError(f"no such file {path}")
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ValueError(f"{path} is {size // 1024} KB: at most {MAX_IMAGE_BYTES // 1024} KB")
    content = path.read_bytes()
    content_type = image_type(content)
    if content_type is None:
        raise ValueError(f"{path} is not a PNG or JPEG image")
    if content_type != _TYPES[path.suffix.lower()]:
        right = ".png" if content_type == "image/png" else ".jpg"
        raise ValueError(f"{path} is a {content_type.removeprefix('image/').upper()} image: name it *{right}")
    return HintImage(content, content_type)


def suffix_of(value: str) -> str:
    return PurePosixPath(value.replace("\\", "/")).suffix.lower()


def content_type_of(suffix: str) -> str | None:
    """The media type a served file's suffix stands for (None: not one we serve)."""
    return _TYPES.get(suffix.lower())


def serial_hint_path(slug: str, suffix: str) -> str:
    """Where the web app serves the picture: the suffix lets Twilio (and the simulator)
    see the type before fetching it."""
    return f"/campaign-media/{slug}/serial-hint{suffix}"


def serial_hint_image_url(slug: str, value: str | None, public_base_url: str | None) -> str | None:
    """The absolute URL Twilio fetches the picture from (None: no picture, or a file and
    no PUBLIC_BASE_URL to serve it at)."""
    if not value:
        return None
    if is_url(value):
        return value
    base = (public_base_url or "").rstrip("/")
    return base + serial_hint_path(slug, suffix_of(value)) if base else None
