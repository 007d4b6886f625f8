"""Twilio's standard messaging keywords: opt-out, opt-in and help.

Twilio acts on these itself (it stops delivering to a number that sent STOP and
answers HELP), so the app must recognise exactly the same messages to keep its own
records in step: the whole message must be the single keyword, in any case, with
surrounding whitespace and trailing ".", "!" or "?" allowed. "Stop!" opts out;
"stop sending", "STOP STOP" and "cancel booking" are ordinary messages.
"""

from __future__ import annotations

import re
from enum import Enum


class Keyword(Enum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_WORDS = frozenset({"HELP", "INFO"})

_KEYWORDS: dict[str, Keyword] = {
    **{word: Keyword.OPT_OUT for word in OPT_OUT_WORDS},
    **{word: Keyword.OPT_IN for word in OPT_IN_WORDS},
    **{word: Keyword.HELP for word in HELP_WORDS},
}
_SINGLE_WORD = re.compile(r"\s*(\w+)\s*[.!?]*\s*")


def classify_keyword(body: str | None) -> Keyword | None:
    """The standard keyword this whole message is, or None for any other message."""
    match = _SINGLE_WORD.fullmatch(body or "")
    if match is None:
        return None
    return _KEYWORDS.get(match.group(1).upper())
