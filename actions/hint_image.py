"""The serial question with the campaign's picture of where the label is
(`serial_hint_image`, bot/campaigns/hint_image.py): a file's picture at its absolute URL
under PUBLIC_BASE_URL, where the web app serves it. The gateway sends it on WhatsApp only
(as the image of the message carrying the question); SMS gets the text alone."""

from __future__ import annotations

from bot.campaigns.hint_image import serial_hint_image_url
from bot.messaging.reply import Reply
from bot.services.conversations import CustomerContext
from bot.settings import get_settings


def with_serial_hint_image(question: str, ctx: CustomerContext) -> str:
    """`question` carrying the campaign's picture (as it is when the campaign has none)."""
    d = ctx.definition
    url = serial_hint_image_url(d.slug, d.serial_hint_image, get_settings().public_base_url)
    return Reply(question, url) if url else question
