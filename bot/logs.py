"""Logging for the long-running processes, with customers' phone numbers masked.

Phone numbers are personal data: logs keep the first digits and the last four
(`+91******0001`, as `bot.domain.phones.mask_phone`), enough to tell two customers
apart when debugging, not enough to call them. The mask applies to the whole formatted
message, exception text included."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from bot.domain.phones import mask_phone

# E.164 as we store and Twilio sends it: + and 8 to 15 digits, optionally spaced.
_PHONE = re.compile(r"(?<![\w+])\+\d(?:[ \-]?\d){6,14}(?!\d)")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def mask_phones(text: str) -> str:
    """Every E.164-looking number in `text` masked as `bot.domain.phones.mask_phone` does."""
    return _PHONE.sub(lambda match: mask_phone("+" + re.sub(r"\D", "", match.group(0))), text)


class MaskPhones(logging.Filter):
    """Rewrites each record's message (and exception text) with phones masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_phones(record.getMessage()), None
        if record.exc_info:
            record.exc_text = mask_phones(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Root logging for `recall worker` and friends: one stream handler, phones masked."""
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskPhones())


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with the phone mask on every handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["mask_phones"] = {"()": "bot.logs.MaskPhones"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("mask_phones")
    return config
