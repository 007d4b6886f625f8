"""Photos customers sent, shown in the console: fetched from Twilio's media URL with the
account's credentials (Twilio may require them), never from any other host."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from fastapi import HTTPException
from fastapi.responses import Response

from bot.settings import Settings

TWILIO_MEDIA_ORIGINS = ("https://api.twilio.com",)
MAX_PHOTO_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 10.0


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_media_url(url: str, settings: Settings) -> bool:
    """Only Twilio's API (or the one TWILIO_API_URL points at, e.g. the simulator)."""
    return _origin(url) in {*TWILIO_MEDIA_ORIGINS, _origin(settings.twilio_api_url)}


def fetch_photo(settings: Settings, url: str) -> Response:
    if not allowed_media_url(url, settings):
        raise HTTPException(status_code=404, detail="This photo is not stored at Twilio.")
    try:
        with httpx.Client(
            timeout=TIMEOUT_SECONDS,
            follow_redirects=True,  # Twilio redirects to its storage
            auth=(settings.twilio_account_sid, settings.twilio_auth_token),
        ) as client:
            response = client.get(url)
    except httpx.HTTPError as exc:
        raise HTTPException(
            status_code=502, detail=f"Twilio did not hand over the photo ({exc.__class__.__name__})."
        ) from exc
    if response.status_code != 200 or len(response.content) > MAX_PHOTO_BYTES:
        raise HTTPException(status_code=502, detail=f"Twilio answered {response.status_code} for the photo.")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    inline = content_type.startswith("image/") and content_type != "image/svg+xml"
    return Response(
        response.content,
        media_type=content_type if inline else "application/octet-stream",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, max-age=3600",
            **({} if inline else {"Content-Disposition": "attachment"}),
        },
    )
