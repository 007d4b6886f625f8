"""The text the NLU is given for a customer's message (the message is stored as it came).

Cut to a length the classifier reads in one go, and runs of one letter shortened to three
("pleaseeeeeee" → "pleaseee", 5,000 a's → "aaa"): a letter repeated hundreds of times
swamps the character n-gram counts and the classifier answers with certainty for a
message that says nothing. Digits are left alone (a serial has runs of zeros)."""

from __future__ import annotations

import re

MAX_TEXT_TO_NLU = 2000  # longer messages are cut before NLU (they are stored whole)
_LETTER_RUN = re.compile(r"([^\W\d_])\1{3,}")


def text_for_nlu(body: str) -> str:
    return _LETTER_RUN.sub(r"\1\1\1", (body or "")[:MAX_TEXT_TO_NLU])
