"""Twilio's built-in SMS opt-out handling: keywords and its default replies."""

from __future__ import annotations

from typing import Literal

Keyword = Literal["stop", "start", "help"]

OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN = frozenset({"START", "UNSTOP", "YES"})
HELP = frozenset({"HELP", "INFO"})

REPLIES: dict[Keyword, str] = {
    "stop": "You have successfully been unsubscribed. You will not receive any more messages from this number. "
    "Reply START to resubscribe.",
    "start": "You have successfully been re-subscribed to messages from this number. Reply HELP for help. "
    "Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
    "help": "Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
}


def keyword_of(body: str) -> Keyword | None:
    """The keyword a whole message body is (case and surrounding blanks/punctuation ignored)."""
    word = (body or "").strip().strip(".!").strip().upper()
    if word in OPT_OUT:
        return "stop"
    if word in OPT_IN:
        return "start"
    if word in HELP:
        return "help"
    return None
