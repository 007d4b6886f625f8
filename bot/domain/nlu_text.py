"""The text the NLU is given for a customer's message (the message is stored as it came).

Cut to a length the classifier reads in one go, and runs of seven or more of one letter
shortened to three (5,000 a's → "aaa", "pleaseeeeeeeee" → "pleaseee"): a letter repeated
hundreds of times swamps the character n-gram counts and the classifier answers with
certainty for a message that says nothing. Shorter runs are left alone, and digits always:
a serial typed with its zeros as letter O ("AR26G00OOO1O") holds up to six in a row, and
the actions read the serial from this text.

A leading "/" is dropped: Rasa reads a message starting with it as an intent ("/restart",
`/photo_serial{…}`), which only the gateway may send (bot/gateway/label_photos.py)."""

from __future__ import annotations

import re

MAX_TEXT_TO_NLU = 2000  # longer messages are cut before NLU (they are stored whole)
_LETTER_RUN = re.compile(r"([^\W\d_])\1{6,}")
_INTENT_PREFIX = re.compile(r"^/+")


def text_for_nlu(body: str) -> str:
    return _LETTER_RUN.sub(r"\1\1\1", _INTENT_PREFIX.sub("", (body or "")[:MAX_TEXT_TO_NLU]))
