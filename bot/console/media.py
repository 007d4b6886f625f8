"""Photos customers sent, shown in the console: fetched from Twilio's media URL with the
account's credentials (Twilio may require them), never from any other host
(`bot.twilio.media`); an image is shown stripped of its metadata (EXIF location)."""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import Response

from bot.settings import Settings
from bot.twilio import media
from bot.twilio.media import PhotoUnavailable, Unavailable


def allowed_media_url(url: str, settings: Settings) -> bool:
    """Only Twilio's API (or the one TWILIO_API_URL points at, e.g. the simulator)."""
    return media.allowed_media_url(url, settings.twilio_api_url)


def fetch_photo(settings: Settings, url: str) -> Response:
    try:
        fetched = media.fetch_media(settings, url)
        if media.is_image_type(fetched.content_type):
            photo = media.clean_photo(fetched.data, content_type=fetched.content_type)
            body, content_type, inline = photo.data, photo.content_type, True
        else:  # another attachment (a PDF, a contact card): a download, never rendered
            body, content_type, inline = fetched.data, "application/octet-stream", False
    except PhotoUnavailable as exc:
        if exc.reason is Unavailable.NOT_TWILIO_HOST and not allowed_media_url(url, settings):
            raise HTTPException(status_code=404, detail="This photo is not stored at Twilio.") from exc
        raise HTTPException(status_code=502, detail=f"Twilio did not hand over the photo ({exc.reason}).") from exc
    return Response(
        body,
        media_type=content_type,
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, max-age=3600",
            **({} if inline else {"Content-Disposition": "attachment"}),
        },
    )
