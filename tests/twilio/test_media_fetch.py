"""Fetching a customer's photo from Twilio (bot.twilio.media): which URLs, redirects and
credentials, limits, and what is kept (pixels only, upright). Real local HTTP servers
stand in for the API base (TWILIO_API_URL) and for an "evil" host on another port;
httpx's MockTransport stands in for api.twilio.com and Twilio's media storage."""

from __future__ import annotations

import base64
import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from PIL import ExifTags, Image, PngImagePlugin

from bot.settings import Settings
from bot.twilio.media import (
    FetchedPhoto,
    Limits,
    PhotoUnavailable,
    Unavailable,
    allowed_media_url,
    allowed_redirect,
    clean_photo,
    fetch_photo,
)
from tests.twilio.support import ACCOUNT_SID, AUTH_TOKEN, closed_port

BASIC = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()


def _image(size=(40, 20), mode="RGB", color=(200, 30, 30)) -> Image.Image:
    return Image.new(mode, size, color)


def _encoded(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _jpeg_with_gps(orientation: int = 1) -> bytes:
    """A landscape JPEG, left half red and right half blue, with GPS and an orientation."""
    image = _image((40, 20))
    image.paste((30, 30, 200), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (12.0, 58.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (77.0, 35.0, 40.1)
    return _encoded(image, "JPEG", exif=exif, quality=95)


JPEG = _jpeg_with_gps()
PNG = _encoded(_image((3, 2)), "PNG")


# --- which URLs ---------------------------------------------------------------------

SIM = "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("url", "api_base", "allowed"),
    [
        ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", SIM, True),
        ("HTTPS://API.TWILIO.COM/x", SIM, True),
        ("https://api.twilio.com:443/x", SIM, True),
        ("https://api.twilio.com/x", "https://api.twilio.com", True),
        (f"{SIM}/sim/media/ME1", SIM, True),  # TWILIO_API_URL: the simulator
        (f"{SIM}/sim/media/ME1", SIM + "/", True),
        ("http://api.twilio.com/x", SIM, False),  # plain http
        ("https://api.twilio.com:8443/x", SIM, False),  # another port
        ("https://api.twilio.com@evil.com/", SIM, False),  # userinfo: the host is evil.com
        ("https://user:pw@api.twilio.com/x", SIM, False),
        ("https://evil.com\\@api.twilio.com/", SIM, False),
        ("https://evil.com#@api.twilio.com/", SIM, False),
        ("https://evil.com?@api.twilio.com/", SIM, False),
        ("https://api.twilio.com.evil.example/x", SIM, False),
        ("https://api.twilio.com./x", SIM, False),
        ("https://evilapi.twilio.com/x", SIM, False),
        ("https://api.twilio.com:abc/x", SIM, False),
        ("https://api.twilio.com /x", SIM, False),
        ("https://api.twilio.com/x\n", SIM, False),
        ("https://mms.twiliocdn.com/AC1/x", SIM, False),  # storage: a redirect target only
        ("http://127.0.0.1:9@127.0.0.1:10/x", SIM, False),
        ("http://127.0.0.1:5432/", SIM, False),  # another port of the same host
        ("https://127.0.0.1:9/x", SIM, False),  # another scheme
        ("http://localhost:9/x", SIM, False),  # another spelling: not the configured host
        ("http://2130706433:9/x", SIM, False),  # 127.0.0.1 as a number
        ("http://0x7f.0.0.1:9/x", SIM, False),
        ("http://127.1:9/x", SIM, False),
        ("http://[::ffff:127.0.0.1]:9/x", SIM, False),
        (f"{SIM}/x", "https://api.twilio.com", False),  # the simulator only when configured
        ("file:///etc/passwd", SIM, False),
        ("ftp://api.twilio.com/x", SIM, False),
        ("//api.twilio.com/x", SIM, False),
        ("", SIM, False),
        ("https://api.twilio.com/x", "", True),  # no configured base: Twilio's still
    ],
)
def test_only_twilios_media_urls_are_fetched(url, api_base, allowed):
    assert allowed_media_url(url, api_base) is allowed


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://mms.twiliocdn.com/AC1/0123abcd?Expires=1&Signature=x", True),  # secured media
        ("https://media.twiliocdn.com/AC1/0123abcd", True),
        ("https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC1/0123abcd", True),  # unsecured media
        ("https://api.twilio.com/2010-04-01/x", True),
        (f"{SIM}/sim/media/ME1", True),
        ("http://mms.twiliocdn.com/AC1/x", False),
        ("https://mms.twiliocdn.com:8443/AC1/x", False),
        ("https://mms.twiliocdn.com@evil.com/x", False),
        ("https://twiliocdn.com.evil.com/x", False),
        ("https://eviltwiliocdn.com/x", False),
        ("https://s3-external-1.amazonaws.com/someone-elses-bucket/x", False),
        ("https://s3-external-1.amazonaws.com/media.twiliocdn.com.evil/x", False),
        ("https://media.twiliocdn.com.s3.amazonaws.com/x", False),
        ("http://127.0.0.1:10/x", False),
        ("https://evil.example/x", False),
    ],
)
def test_redirects_may_go_to_twilios_media_storage_only(url, allowed):
    assert allowed_redirect(url, SIM) is allowed


# --- real servers: the API base and an evil host -------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # before the status line
    dribble: float = 0.0  # between body chunks of 1 KiB
    length: bool = True  # send Content-Length


@dataclass(frozen=True)
class Seen:
    path: str
    authorization: str | None


class Server:
    """A local HTTP server answering scripted paths and recording every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply] = {}
        self.requests: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(Seen(self.path, self.headers.get("Authorization")))
                reply = server.routes.get(self.path, Reply(404, body=b"not found"))
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    for start in range(0, len(reply.body), 1024):
                        self.wfile.write(reply.body[start : start + 1024])
                        self.wfile.flush()
                        time.sleep(reply.dribble)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def api() -> Iterator[Server]:
    server = Server()
    yield server
    server.stop()


@pytest.fixture
def evil() -> Iterator[Server]:
    server = Server()
    yield server
    server.stop()


def _settings(api_base: str, **overrides) -> Settings:
    return Settings(twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN, twilio_api_url=api_base, **overrides)


def _unavailable(settings: Settings, url: str, **kwargs) -> Unavailable:
    with pytest.raises(PhotoUnavailable) as info:
        fetch_photo(settings, url, **kwargs)
    return info.value.reason


def test_a_photo_is_fetched_with_the_accounts_credentials(api):
    api.routes["/Media/ME1"] = Reply(headers={"Content-Type": "image/jpeg"}, body=JPEG)
    photo = fetch_photo(_settings(api.base_url), f"{api.base_url}/Media/ME1")
    assert isinstance(photo, FetchedPhoto)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 40, 20)
    assert len(photo.sha256) == 64
    assert api.requests == [Seen("/Media/ME1", BASIC)]


def test_a_url_on_another_host_is_never_fetched(api, evil):
    evil.routes["/x.jpg"] = Reply(headers={"Content-Type": "image/jpeg"}, body=JPEG)
    assert _unavailable(_settings(api.base_url), f"{evil.base_url}/x.jpg") is Unavailable.NOT_TWILIO_HOST
    assert evil.requests == [] and api.requests == []


@pytest.mark.parametrize("location", ["{evil}/x.jpg", "//127.0.0.1:{evil_port}/x.jpg"])
def test_a_redirect_away_from_twilio_is_not_followed(api, evil, location):
    evil.routes["/x.jpg"] = Reply(headers={"Content-Type": "image/jpeg"}, body=JPEG)
    target = location.format(evil=evil.base_url, evil_port=evil.base_url.rsplit(":", 1)[1])
    api.routes["/Media/ME1"] = Reply(302, headers={"Location": target})
    assert _unavailable(_settings(api.base_url), f"{api.base_url}/Media/ME1") is Unavailable.NOT_TWILIO_HOST
    assert len(api.requests) == 1
    assert evil.requests == []


def test_redirects_on_the_api_origin_are_followed_up_to_three(api):
    api.routes["/Media/ME1"] = Reply(301, headers={"Location": "/hop/1"})
    api.routes["/hop/1"] = Reply(302, headers={"Location": f"{api.base_url}/hop/2"})
    api.routes["/hop/2"] = Reply(307, headers={"Location": "/hop/3"})
    api.routes["/hop/3"] = Reply(headers={"Content-Type": "image/png"}, body=PNG)
    photo = fetch_photo(_settings(api.base_url), f"{api.base_url}/Media/ME1")
    assert photo.content_type == "image/png"
    assert [s.authorization for s in api.requests] == [BASIC] * 4

    api.requests.clear()
    api.routes["/hop/3"] = Reply(302, headers={"Location": "/hop/4"})
    api.routes["/hop/4"] = Reply(headers={"Content-Type": "image/png"}, body=PNG)
    assert _unavailable(_settings(api.base_url), f"{api.base_url}/Media/ME1") is Unavailable.HTTP_STATUS
    assert len(api.requests) == 4  # the fourth redirect is not followed


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(404, body=b"not found"), Unavailable.HTTP_STATUS),
        (Reply(500), Unavailable.HTTP_STATUS),
        (Reply(302), Unavailable.HTTP_STATUS),  # a redirect without a Location
        (
            Reply(headers={"Content-Type": "image/jpeg"}, body=b"<html><body>hello</body></html>"),
            Unavailable.NOT_AN_IMAGE,
        ),
        (Reply(headers={"Content-Type": "text/html"}, body=JPEG), Unavailable.NOT_AN_IMAGE),
        (Reply(headers={"Content-Type": "image/svg+xml"}, body=b"<svg/>"), Unavailable.NOT_AN_IMAGE),
        (Reply(body=JPEG), Unavailable.NOT_AN_IMAGE),  # no Content-Type
        (Reply(headers={"Content-Type": "image/jpeg"}, body=PNG), Unavailable.NOT_AN_IMAGE),  # not what it says
        (Reply(headers={"Content-Type": "image/jpeg"}, body=JPEG[: len(JPEG) // 2]), Unavailable.NOT_AN_IMAGE),
        (
            Reply(headers={"Content-Type": "image/jpeg", "Content-Encoding": "gzip"}, body=JPEG),
            Unavailable.NOT_AN_IMAGE,
        ),
    ],
)
def test_what_is_not_a_photo(api, reply, reason):
    api.routes["/Media/ME1"] = reply
    assert _unavailable(_settings(api.base_url), f"{api.base_url}/Media/ME1") is reason


@pytest.mark.parametrize("declared", [True, False])
def test_a_photo_above_the_limit_is_not_read_to_the_end(api, declared):
    big = JPEG + b"\0" * 5000
    api.routes["/Media/ME1"] = Reply(headers={"Content-Type": "image/jpeg"}, body=big, length=declared)
    settings = _settings(api.base_url, photo_max_bytes=len(JPEG) + 100)
    assert _unavailable(settings, f"{api.base_url}/Media/ME1") is Unavailable.TOO_LARGE
    api.routes["/Media/ME1"] = Reply(headers={"Content-Type": "image/jpeg"}, body=JPEG, length=declared)
    assert fetch_photo(settings, f"{api.base_url}/Media/ME1").width == 40


def test_a_slow_answer_times_out(api):
    api.routes["/Media/ME1"] = Reply(headers={"Content-Type": "image/jpeg"}, body=JPEG, delay=1.0)
    started = time.monotonic()
    reason = _unavailable(_settings(api.base_url), f"{api.base_url}/Media/ME1", limits=Limits(read_timeout=0.2))
    assert reason is Unavailable.TIMEOUT
    assert time.monotonic() - started < 0.9


def test_a_trickling_answer_stops_at_the_total_time_limit(api):
    body = JPEG + b"\0" * 20 * 1024
    api.routes["/Media/ME1"] = Reply(headers={"Content-Type": "image/jpeg"}, body=body, dribble=0.05)
    started = time.monotonic()
    reason = _unavailable(_settings(api.base_url), f"{api.base_url}/Media/ME1", limits=Limits(total_timeout=0.3))
    assert reason is Unavailable.TIMEOUT
    assert time.monotonic() - started < 0.9


def test_an_unreachable_api_is_a_network_failure():
    base = f"http://127.0.0.1:{closed_port()}"
    assert _unavailable(_settings(base), f"{base}/Media/ME1") is Unavailable.NETWORK


# --- api.twilio.com and its media storage (MockTransport) ------------------------------


class _Body(httpx.SyncByteStream):
    """A body that is streamed, as from the network (httpx reads `content=` eagerly)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self.data


MEDIA_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM1/Media/ME1"


@pytest.mark.parametrize(
    "storage_url",
    [
        "https://mms.twiliocdn.com/AC1/0123abcd?Expires=1&Signature=x",
        "https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC1/0123abcd",
    ],
)
def test_credentials_go_to_the_api_and_never_to_the_storage(storage_url):
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers.get("authorization")))
        if request.url.host == "api.twilio.com":
            return httpx.Response(302, headers={"Location": storage_url})
        return httpx.Response(200, headers={"Content-Type": "image/jpeg"}, stream=_Body(JPEG))

    photo = fetch_photo(_settings("https://api.twilio.com"), MEDIA_URL, transport=httpx.MockTransport(handler))
    assert photo.width == 40
    assert seen == [(MEDIA_URL, BASIC), (storage_url, None)]


def test_the_storage_may_not_send_us_elsewhere():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        if request.url.host == "api.twilio.com":
            return httpx.Response(302, headers={"Location": "https://mms.twiliocdn.com/AC1/x"})
        return httpx.Response(302, headers={"Location": "https://evil.example/x"})

    with pytest.raises(PhotoUnavailable) as info:
        fetch_photo(_settings("https://api.twilio.com"), MEDIA_URL, transport=httpx.MockTransport(handler))
    assert info.value.reason is Unavailable.NOT_TWILIO_HOST
    assert seen == ["api.twilio.com", "mms.twiliocdn.com"]


# --- what is kept ---------------------------------------------------------------------


def test_the_source_photo_really_carries_gps():
    exif = Image.open(io.BytesIO(JPEG)).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_exif_and_gps_are_stripped():
    photo = clean_photo(JPEG, content_type="image/jpeg")
    kept = Image.open(io.BytesIO(photo.data))
    assert kept.format == "JPEG"
    assert "exif" not in kept.info and len(kept.getexif()) == 0
    assert b"Exif\0\0" not in photo.data and b"PhoneMaker" not in photo.data


def test_the_orientation_is_applied():
    photo = clean_photo(_jpeg_with_gps(orientation=6))  # stored landscape, shown rotated 90° clockwise
    assert (photo.width, photo.height) == (20, 40)
    kept = Image.open(io.BytesIO(photo.data)).convert("RGB")
    red, blue = kept.getpixel((10, 5)), kept.getpixel((10, 35))
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]  # the left half is now on top
    assert len(kept.getexif()) == 0


def test_png_text_icc_and_exif_chunks_are_stripped():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "taken at home")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    data = _encoded(_image((5, 4), "RGBA", (1, 2, 3, 128)), "PNG", pnginfo=text, exif=exif, icc_profile=b"fakeicc")
    assert b"taken at home" in data
    photo = clean_photo(data, content_type="image/png")
    kept = Image.open(io.BytesIO(photo.data))
    assert (photo.content_type, kept.format, kept.mode, kept.size) == ("image/png", "PNG", "RGBA", (5, 4))
    assert not {"exif", "icc_profile", "Comment"} & set(kept.info)
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"taken at home"):
        assert chunk not in photo.data


def test_webp_becomes_jpeg_and_gif_its_first_frame_as_png():
    webp = clean_photo(_encoded(_image((6, 4), "RGBA", (0, 0, 255, 0)), "WEBP"), content_type="image/webp")
    assert (webp.content_type, webp.width, webp.height) == ("image/jpeg", 6, 4)
    assert Image.open(io.BytesIO(webp.data)).convert("RGB").getpixel((3, 2))[0] > 200  # transparent → white

    frames = [_image((4, 4), "P", 1), _image((4, 4), "P", 2)]
    gif = _encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])
    photo = clean_photo(gif, content_type="image/gif")
    assert (photo.content_type, photo.width, photo.height) == ("image/png", 4, 4)
    assert getattr(Image.open(io.BytesIO(photo.data)), "n_frames", 1) == 1


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (b"", "image/jpeg", Unavailable.NOT_AN_IMAGE),
        (b"GIF89a not really", None, Unavailable.NOT_AN_IMAGE),
        (_encoded(_image((4, 4)), "BMP"), None, Unavailable.NOT_AN_IMAGE),  # a format we do not read
        (_encoded(_image((4, 4)), "TIFF"), "image/jpeg", Unavailable.NOT_AN_IMAGE),
        (PNG, "image/heic", Unavailable.NOT_AN_IMAGE),
        (_encoded(_image((20, 20)), "PNG"), "image/png", Unavailable.TOO_LARGE),  # 400 pixels > 399
    ],
)
def test_what_clean_photo_refuses(data, content_type, reason):
    with pytest.raises(PhotoUnavailable) as info:
        clean_photo(data, content_type=content_type, max_pixels=399)
    assert info.value.reason is reason


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = _encoded(Image.new("1", (8000, 6000)), "PNG")  # 48 MP in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(PhotoUnavailable) as info:
        clean_photo(bomb, content_type="image/png")
    assert info.value.reason is Unavailable.TOO_LARGE


def test_pillows_own_bomb_guard_is_a_photo_too_large(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 400 pixels > 2 × 100: refused when opened
    with pytest.raises(PhotoUnavailable) as info:
        clean_photo(_encoded(_image((20, 20)), "PNG"), max_pixels=10**9)
    assert info.value.reason is Unavailable.TOO_LARGE
