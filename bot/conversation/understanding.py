"""Reading short SMS answers: yes/no, and which intents interrupt a question."""

from __future__ import annotations

import re

YES_WORDS = frozenset(
    {
        "yes",
        "y",
        "yeah",
        "yea",
        "yep",
        "yup",
        "ya",
        "haan",
        "han",
        "ha",
        "ji",
        "correct",
        "right",
        "ok",
        "okay",
        "k",
        "sure",
        "confirm",
        "confirmed",
        "yess",
        "yes.",
        "absolutely",
    }
)
NO_WORDS = frozenset({"no", "n", "nope", "nah", "nahi", "nai", "wrong", "incorrect", "not", "dont", "don't", "na"})

# Intents that answer something else than the question the bot asked; the rules in
# data/rules.yml handle them (answer, then return to the question; or hand off).
INTERRUPTIONS = frozenset(
    {
        "ask_defect",
        "ask_safety",
        "ask_cost",
        "ask_duration",
        "bot_challenge",
        # questions answered from the campaign's fields (actions/questions.py)
        "ask_who_is_this",
        "ask_is_it_real",
        "ask_how_got_number",
        "ask_about_data",
        "ask_what_to_do",
        "ask_refund_time",
        "ask_replacement_time",
        "ask_warranty",
        "ask_visit",
        "ask_compensation",  # goodwill: answered, a claim recorded (actions/goodwill.py)
        "request_human",
        "complain",
        "report_hazard",
        "wrong_person",
        # situations the customer is in (actions/situations.py)
        "tell_repaired_elsewhere",
        "tell_works_fine",
        "tell_disposed",
        "tell_moved",
        "tell_household_member",
        "tell_travelling",
        "out_of_scope",
    }
)


def yes_or_no(intent: str | None, text: str) -> bool | None:
    """True for yes, False for no, None when the answer is neither (or both)."""
    words = set(re.findall(r"[a-z']+", (text or "").lower()))
    said_yes, said_no = bool(words & YES_WORDS), bool(words & NO_WORDS)
    if intent == "affirm" and not said_no:
        return True
    if intent == "deny" and not said_yes:
        return False
    if said_yes != said_no:
        return said_yes
    return None
