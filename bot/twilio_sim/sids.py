"""Twilio-shaped identifiers: two letters and 32 lowercase hex digits."""

from __future__ import annotations

import re
import secrets

SID_PATTERNS = {
    "AC": re.compile(r"^AC[0-9a-fA-F]{32}$"),
    "MG": re.compile(r"^MG[0-9a-fA-F]{32}$"),
    "HX": re.compile(r"^HX[0-9a-fA-F]{32}$"),
    "SM": re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$"),
}


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def is_sid(prefix: str, value: str) -> bool:
    pattern = SID_PATTERNS.get(prefix) or re.compile(rf"^{prefix}[0-9a-fA-F]{{32}}$")
    return bool(pattern.match(value or ""))
