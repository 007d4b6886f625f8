"""GET /campaign-media/<slug>/serial-hint.png (or .jpg): the campaign's picture of where the serial
label is (`serial_hint_image`, a file stored when the campaign was loaded), for Twilio to
fetch when it sends the serial question on WhatsApp. No auth: Twilio fetches it as is,
and the picture is the campaign's public help. With its own media type, an ETag and a
short cache lifetime (a reloaded campaign's new picture is seen within minutes)."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from bot.campaigns.hint_image import content_type_of, serial_hint_path
from bot.models import Campaign

router = APIRouter()
CACHE_CONTROL = "public, max-age=300"


@router.api_route(serial_hint_path("{slug}", ".{suffix}"), methods=["GET", "HEAD"])
def serial_hint(slug: str, suffix: str, request: Request) -> Response:
    with request.app.state.factory() as session:
        row = session.execute(
            select(Campaign.serial_hint_image, Campaign.serial_hint_image_type).where(Campaign.slug == slug)
        ).first()
    if row is None or row.serial_hint_image is None or row.serial_hint_image_type != content_type_of(f".{suffix}"):
        return Response("no such picture", status_code=404, media_type="text/plain")
    etag = f'"{hashlib.sha256(row.serial_hint_image).hexdigest()[:32]}"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if etag in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers=headers)
    return Response(row.serial_hint_image, media_type=row.serial_hint_image_type, headers=headers)
