"""What to do with one inbound message, decided before anything is sent anywhere.

Keywords (STOP, START, HELP ...) never reach Rasa as ordinary text, and neither does a
request to stop being contacted in the customer's own words ("stop texting me please",
`bot.domain.opt_out_phrases`): it opts out exactly like STOP. An opted-out number gets
nothing but the confirmation of its START; media-only and empty messages are answered by
the gateway itself.
"""

from __future__ import annotations

import enum

from bot.domain.keywords import Keyword, classify_keyword
from bot.domain.opt_out_phrases import is_opt_out_phrase


class TurnKind(enum.StrEnum):
    OPT_OUT = "opt_out"  # record the opt-out, one confirmation
    OPT_IN = "opt_in"  # record the opt-in, one confirmation
    HELP = "help"  # help text
    SILENT = "silent"  # opted out: stored, nothing sent
    MEDIA_ONLY = "media_only"  # a photo without text
    EMPTY = "empty"  # nothing at all: stored, nothing sent
    DIALOGUE = "dialogue"  # an ordinary message for Rasa
    FOR_AGENT = "for_agent"  # a person has the conversation: stored for them, the bot says nothing


def plan_turn(body: str, num_media: int, *, opted_out: bool, with_person: bool = False) -> TurnKind:
    """What to do with one inbound message. Opt-out (a keyword or a phrase), opt-in and
    HELP are answered on every path, a person's conversation included; everything else goes to Rasa, or,
    while a person has the conversation (`with_person`), only to the console."""
    keyword = classify_keyword(body)
    if keyword is Keyword.OPT_OUT or (keyword is None and is_opt_out_phrase(body)):
        return TurnKind.SILENT if opted_out else TurnKind.OPT_OUT
    if opted_out:
        return TurnKind.OPT_IN if keyword is Keyword.OPT_IN else TurnKind.SILENT
    if keyword is Keyword.HELP:
        return TurnKind.HELP
    if with_person:
        return TurnKind.FOR_AGENT
    if not body.strip():
        return TurnKind.MEDIA_ONLY if num_media else TurnKind.EMPTY
    return TurnKind.DIALOGUE


def answered_by_twilio(body: str) -> bool:
    """Twilio answers its exact keywords on SMS itself (and blocks our messages after
    STOP). A phrase it does not see: the app confirms it, and the app's own opt-out record
    is what keeps every later message (outreach, reminders, follow-ups, agents) away."""
    return classify_keyword(body) is not None


def opt_out_source(body: str) -> str:
    """How an opt-out was asked for, as recorded: "keyword" (STOP ...) or "phrase"."""
    return "keyword" if answered_by_twilio(body) else "phrase"
