"""Fetch a customer's photo from Twilio's media URL, safely, and keep only its pixels.

What is fetched: only a URL on Twilio's API origin (https://api.twilio.com) or on the
origin of the configured API base (`TWILIO_API_URL`, e.g. the local simulator): exact
scheme, host and port; a URL with userinfo, another port, plain http for api.twilio.com
or any other host is refused before anything is sent (`allowed_media_url`).

Redirects are followed by hand, at most `MAX_REDIRECTS`, each hop checked: besides the
API origins, Twilio's media storage, where Twilio redirects media requests
(https://mms.twiliocdn.com and other https *.twiliocdn.com hosts, and Twilio's S3
bucket https://s3-external-1.amazonaws.com/media.twiliocdn.com/...). The account's
credentials (HTTP Basic: account SID, auth token) go to the API origins only, never to
a storage hop (its URL is signed).

Limits: connect, read and total timeouts; the body is streamed and reading stops past
`max_bytes`; the Content-Type must be an image type we read and Pillow must agree (the
bytes are an image of that family); at most `MAX_PIXELS` decoded pixels.

What is kept (`clean_photo`): the pixels only, EXIF orientation applied, re-encoded
(JPEG → JPEG, PNG → PNG, WebP → JPEG, GIF → PNG of its first frame): no EXIF (GPS), ICC
profile, XMP or text chunks survive. Failures raise `PhotoUnavailable(reason)`.

Synchronous (httpx): the gateway worker calls it in a thread, after the webhook has been
acknowledged.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

import httpx
from PIL import Image, ImageOps, UnidentifiedImageError

from bot.settings import Settings

TWILIO_API_ORIGIN = ("https", "api.twilio.com", 443)
# Twilio's media storage: secured media on mms.twiliocdn.com, older unsecured media in the
# S3 bucket media.twiliocdn.com (path style on s3-external-1.amazonaws.com).
TWILIO_CDN_SUFFIX = ".twiliocdn.com"
TWILIO_S3_HOST = "s3-external-1.amazonaws.com"
TWILIO_S3_BUCKET_PREFIX = "/media.twiliocdn.com/"

MAX_REDIRECTS = 3
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
TOTAL_TIMEOUT = 20.0
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 90

# Content-Type → the Pillow format the bytes must have, and the format we keep.
IMAGE_TYPES = {
    "image/jpeg": "JPEG",
    "image/jpg": "JPEG",  # seen in the wild for JPEG
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/gif": "GIF",
}
KEPT_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "JPEG", "GIF": "PNG"}
CONTENT_TYPE_OF = {"JPEG": "image/jpeg", "PNG": "image/png"}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Uncompressed: the size cap is on what we hold, and no gzip bomb is inflated.
_HEADERS = {"Accept": "image/*", "Accept-Encoding": "identity"}

Origin = tuple[str, str, int]


class Unavailable(StrEnum):
    NOT_TWILIO_HOST = "not_twilio_host"  # the URL (or a redirect) leaves Twilio: nothing sent there
    HTTP_STATUS = "http_status"  # not 200 (or too many redirects)
    TOO_LARGE = "too_large"  # more than max_bytes, or more than MAX_PIXELS
    NOT_AN_IMAGE = "not_an_image"  # another Content-Type, or bytes Pillow cannot read as one
    TIMEOUT = "timeout"
    NETWORK = "network"  # connection refused, DNS, TLS, dropped connection


class PhotoUnavailable(Exception):
    def __init__(self, reason: Unavailable, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class FetchedMedia:
    """The bytes Twilio handed over, as they came (see `clean_photo` before keeping them)."""

    data: bytes
    content_type: str


@dataclass(frozen=True)
class FetchedPhoto:
    data: bytes
    content_type: str  # image/jpeg or image/png
    width: int
    height: int
    sha256: str  # of `data`


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    total_timeout: float = TOTAL_TIMEOUT
    max_redirects: int = MAX_REDIRECTS
    max_pixels: int = MAX_PIXELS


DEFAULT_LIMITS = Limits()


# --- which URLs ---------------------------------------------------------------------


def _origin(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL without userinfo; None for anything else."""
    if not url or any(c.isspace() or c == "\\" or ord(c) < 0x20 for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or "@" in parts.netloc or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


def _httpx_origin(url: str) -> Origin | None:
    """The same as httpx parses it (the request goes where httpx thinks, not urlsplit)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None
    if parsed.userinfo or parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    return parsed.scheme, parsed.host.lower(), parsed.port or (443 if parsed.scheme == "https" else 80)


def api_origins(api_base_url: str) -> frozenset[Origin]:
    configured = _origin(api_base_url)
    return frozenset({TWILIO_API_ORIGIN, *([configured] if configured else [])})


def _checked_origin(url: str) -> Origin | None:
    origin = _origin(url)
    return origin if origin is not None and origin == _httpx_origin(url) else None


def allowed_media_url(url: str, api_base_url: str) -> bool:
    """A customer's MediaUrl may be fetched: Twilio's API origin or the configured one."""
    origin = _checked_origin(url)
    return origin is not None and origin in api_origins(api_base_url)


def is_twilio_storage(url: str) -> bool:
    """Where Twilio redirects a media request: https *.twiliocdn.com or its S3 bucket."""
    origin = _checked_origin(url)
    if origin is None or origin[0] != "https" or origin[2] != 443:
        return False
    host = origin[1]
    if host.endswith(TWILIO_CDN_SUFFIX):
        return True
    return host == TWILIO_S3_HOST and urlsplit(url).path.startswith(TWILIO_S3_BUCKET_PREFIX)


def allowed_redirect(url: str, api_base_url: str) -> bool:
    return allowed_media_url(url, api_base_url) or is_twilio_storage(url)


# --- fetching -----------------------------------------------------------------------


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def fetch_media(
    settings: Settings,
    url: str,
    *,
    accept: Callable[[str], bool] = lambda content_type: True,
    max_bytes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    transport: httpx.BaseTransport | None = None,
) -> FetchedMedia:
    """The body at Twilio's media URL (redirects checked, size capped, timeouts).

    `accept` sees the Content-Type before the body is read; a refusal is NOT_AN_IMAGE.
    """
    api_base = settings.twilio_api_url
    if not allowed_media_url(url, api_base):
        raise PhotoUnavailable(Unavailable.NOT_TWILIO_HOST, "the media URL is not Twilio's")
    cap = settings.photo_max_bytes if max_bytes is None else max_bytes
    deadline = time.monotonic() + limits.total_timeout
    credentials = (settings.twilio_account_sid, settings.twilio_auth_token)
    try:
        with httpx.Client(transport=transport, follow_redirects=False) as client:
            for _hop in range(limits.max_redirects + 1):
                remaining = _remaining(deadline)
                timeout = httpx.Timeout(
                    min(limits.read_timeout, remaining), connect=min(limits.connect_timeout, remaining)
                )
                auth = credentials if allowed_media_url(url, api_base) else None
                with client.stream("GET", url, auth=auth, timeout=timeout, headers=_HEADERS) as response:
                    if response.status_code in _REDIRECT_STATUSES:
                        url = _next_hop(url, response, api_base)
                        continue
                    if response.status_code != 200:
                        raise PhotoUnavailable(Unavailable.HTTP_STATUS, f"Twilio answered {response.status_code}")
                    content_type = _media_type(response)
                    if not accept(content_type):
                        raise PhotoUnavailable(Unavailable.NOT_AN_IMAGE, f"Content-Type {content_type or 'missing'}")
                    data = _read_capped(response, cap, deadline)
                    return FetchedMedia(data, content_type)
            raise PhotoUnavailable(Unavailable.HTTP_STATUS, f"more than {limits.max_redirects} redirects")
    except httpx.TimeoutException as exc:
        raise PhotoUnavailable(Unavailable.TIMEOUT, exc.__class__.__name__) from exc
    except httpx.HTTPError as exc:  # transport errors, protocol errors, an invalid URL
        raise PhotoUnavailable(Unavailable.NETWORK, exc.__class__.__name__) from exc


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise PhotoUnavailable(Unavailable.TIMEOUT, "total time limit")
    return remaining


def _next_hop(url: str, response: httpx.Response, api_base: str) -> str:
    location = response.headers.get("location", "")
    target = urljoin(url, location) if location else ""
    if not target:
        raise PhotoUnavailable(Unavailable.HTTP_STATUS, f"redirect {response.status_code} without a Location")
    if not allowed_redirect(target, api_base):
        raise PhotoUnavailable(Unavailable.NOT_TWILIO_HOST, "redirected away from Twilio")
    return target


def _read_capped(response: httpx.Response, cap: int, deadline: float) -> bytes:
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise PhotoUnavailable(Unavailable.NOT_AN_IMAGE, f"Content-Encoding {encoding}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise PhotoUnavailable(Unavailable.TOO_LARGE, f"{declared} bytes declared, at most {cap}")
    buffer = bytearray()
    for chunk in response.iter_raw():  # as it arrives: the limits are checked per chunk
        buffer += chunk
        if len(buffer) > cap:
            raise PhotoUnavailable(Unavailable.TOO_LARGE, f"more than {cap} bytes")
        _remaining(deadline)
    return bytes(buffer)


def fetch_photo(
    settings: Settings,
    url: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    transport: httpx.BaseTransport | None = None,
) -> FetchedPhoto:
    """The customer's photo at Twilio's MediaUrl, checked and stripped of its metadata."""
    media = fetch_media(settings, url, accept=is_image_type, limits=limits, transport=transport)
    return clean_photo(media.data, content_type=media.content_type, max_pixels=limits.max_pixels)


def is_image_type(content_type: str) -> bool:
    return content_type in IMAGE_TYPES


# --- keeping only the pixels --------------------------------------------------------


def clean_photo(data: bytes, *, content_type: str | None = None, max_pixels: int = MAX_PIXELS) -> FetchedPhoto:
    """Decode DATA (an image of CONTENT_TYPE's family when given), apply the EXIF
    orientation and re-encode the pixels alone."""
    expected = IMAGE_TYPES.get(content_type) if content_type is not None else None
    if content_type is not None and expected is None:
        raise PhotoUnavailable(Unavailable.NOT_AN_IMAGE, f"Content-Type {content_type}")
    try:
        # Pillow refuses more than 2 × Image.MAX_IMAGE_PIXELS itself (DecompressionBombError,
        # when the header is read); our own, lower MAX_PIXELS is checked before decoding.
        with Image.open(io.BytesIO(data), formats=sorted(set(IMAGE_TYPES.values()))) as image:
            found = image.format or ""
            if expected is not None and found != expected:
                raise PhotoUnavailable(Unavailable.NOT_AN_IMAGE, f"{content_type} holds {found or 'no image'}")
            width, height = image.size
            if width * height > max_pixels:
                raise PhotoUnavailable(Unavailable.TOO_LARGE, f"{width}x{height} pixels")
            image.load()  # the first frame only (GIF, animated WebP)
            upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError as exc:
        raise PhotoUnavailable(Unavailable.TOO_LARGE, "decompression bomb") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoUnavailable(Unavailable.NOT_AN_IMAGE, exc.__class__.__name__) from exc
    kept = KEPT_FORMAT[found]
    pixels = _pixels_only(upright, kept)
    out = io.BytesIO()
    if kept == "JPEG":
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        pixels.save(out, "PNG", optimize=True)
    encoded = out.getvalue()
    return FetchedPhoto(
        data=encoded,
        content_type=CONTENT_TYPE_OF[kept],
        width=pixels.width,
        height=pixels.height,
        sha256=hashlib.sha256(encoded).hexdigest(),
    )


def _pixels_only(image: Image.Image, kept: str) -> Image.Image:
    """A new image with IMAGE's pixels and nothing else (no info, EXIF, ICC, palette)."""
    if kept == "JPEG":
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            rgba = image.convert("RGBA")
            image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
        image = image.convert("L" if image.mode == "L" else "RGB")
    elif image.mode in ("1", "I;16", "I", "F"):  # bilevel, 16-bit or float grey: 8-bit grey
        image = image.convert("L")
    elif image.mode not in ("L", "LA", "RGB", "RGBA"):
        has_alpha = image.mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())
