"""The questions a stranger asks before trusting a recall message — who is this, is it real,
how did you get my number, what about my data — read from the words, in the order asked.

A first message often asks two of them at once ("hii is this real?? how did u get my no");
the classifier names one intent per message, so each clause is read here and every one of
them is answered. Plain word rules, English with a little Hinglish.
"""

from __future__ import annotations

import re

from bot.domain.free_text import normal_words

_CLAUSE_BREAK = re.compile(r"[?.!;]+|,|\s(?:and|but|also|plus|n|aur|or)\s", re.IGNORECASE)

_MY_NUMBER = r"\b(my|mera|meri|mere|me|this)\b( \w+)? (no|num|number|numbr|nmbr|contact|details|mobile)\b"
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ask_how_got_number",
        re.compile(
            rf"\b(how|where|from where|kaha|kahan|kaise|kidhar)\b.*\b(get|got|find|found|have|has)\b.*{_MY_NUMBER}"
            rf"|{_MY_NUMBER}.*\b(kaha|kahan|kaise|kidhar)\b|\bwho gave (you|u) my\b"
        ),
    ),
    (
        "ask_is_it_real",
        re.compile(
            r"\b(is|r|are|iz) (this|it|that|u|you|dis|ur|your)( \w+){0,2} "
            r"(real|legit|legitimate|genuine|scam|fraud|fake|spam|authentic|official)\b"
            r"|\b(scam|fraud|fraudster|fraudsters|legit)\b"
            r"|\b(asli|sach) (hai|h|he)\b|\bkya (ye|yeh|yah) (asli|sach|sahi)\b"
        ),
    ),
    (
        "ask_who_is_this",
        re.compile(
            r"\b(who|whos|hu|who's) (is|r|are|iz)? ?(this|you|u|dis|it|texting|messaging|msging|sending|calling)\b"
            r"|\bwho(s|'s)? (this|dis)\b|\bwho (sent|send|sends)\b|\bwhich company\b"
            r"|\b(kaun|kon) (hai|ho|h|he)\b|\b(aap|ap|tum) (kaun|kon)\b"
        ),
    ),
    (
        "ask_about_data",
        re.compile(r"\b(my data|personal data|privacy|data protection|delete my (data|details|number))\b"),
    ),
)


def trust_questions(text: str) -> list[str]:
    """The trust questions asked in `text` (their intents' names), each once, in the order asked.

    >>> trust_questions("hii is this real?? how did u get my no")
    ['ask_is_it_real', 'ask_how_got_number']
    """
    found: list[str] = []
    for clause in _CLAUSE_BREAK.split(text or ""):
        words = normal_words(clause)
        if not words:
            continue
        for intent, rule in _RULES:
            if rule.search(words) and intent not in found:
                found.append(intent)
                break
    return found


def questions_to_answer(intent: str | None, text: str) -> list[str]:
    """The questions one message asks: the classifier's `intent` and any other trust question
    in its words, in the order asked (the intent first when its words are not among the rules')."""
    asked = trust_questions(text)
    if intent and intent not in asked:
        asked.insert(0, intent)
    return asked
