"""How many SMS segments a body takes: GSM-7 (160, or 153 per part) or UCS-2 (70, or 67)."""

from __future__ import annotations

# GSM 03.38 default alphabet without 0x1B: the escape to the extension table is not a
# character a body can contain (a literal ESC makes the body UCS-2, as in bot.domain.sms).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")  # two septets each (escape + character)

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def is_gsm7(body: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in body)


def _units(body: str) -> tuple[list[int], int, int]:
    """Size of each character in the encoding's units, and the single/part limits."""
    if is_gsm7(body):
        return [2 if ch in GSM7_EXTENSION else 1 for ch in body], GSM7_SINGLE, GSM7_PART
    # UCS-2 as Twilio sends it (UTF-16): characters outside the BMP take two units.
    return [2 if ord(ch) > 0xFFFF else 1 for ch in body], UCS2_SINGLE, UCS2_PART


def count_segments(body: str) -> int:
    """Segments of an SMS body; an escape pair or surrogate pair is never split."""
    if not body:
        return 1
    sizes, single, part = _units(body)
    if sum(sizes) <= single:
        return 1
    segments, used = 1, 0
    for size in sizes:
        if used + size > part:
            segments, used = segments + 1, 0
        used += size
    return segments


def encoding(body: str) -> str:
    return "GSM-7" if is_gsm7(body) else "UCS-2"
