"""Reading a goodwill claim from the customer's words: what they ask for (food that
spoiled, a discount on a new product) and the amount they name. Plain word rules, English
with a little Hinglish; the trained intent `ask_compensation` decides that it is about
compensation at all (`actions/goodwill.py`)."""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation


class ClaimAsk(enum.StrEnum):
    SPOILED_FOOD = "spoiled_food"
    DISCOUNT = "discount"


_SPOILED = re.compile(
    r"\b(spoil(ed|t|s|ing)?|rott?(ed|en|ing)|went (bad|off)|gone (bad|off)|go(ne|es)? (bad|off)|"
    r"(had|have|has) to (throw|bin)|threw (away|out)|thrown (away|out)|wasted|waste of food|"
    r"food (loss|lost)|lost .{0,20}(food|groceries|milk|vegetables|meat|fish)|"
    r"(food|milk|meat|fish|vegetables|veggies|groceries|paneer|curd|dahi|ice ?cream) .{0,20}(bad|off|ruined|melted)|"
    r"kharab|sad gay[ai]|sad gaya|khana .{0,10}(kharab|fek))\b"
)
_DISCOUNT = re.compile(r"\b(discount|discounted|coupon|voucher|promo|offer on|cheaper|off on a new|% ?off)\b")
# "1500", "rs 1,500", "₹2000", "1.5k", "2000 rupees", "inr 800"
_AMOUNT = re.compile(
    r"(?:(?:rs\.?|inr|₹|\$|usd|eur|€|£)\s*)?(\d{1,3}(?:,\d{2,3})+|\d+(?:\.\d+)?)\s*(k\b)?"
    r"\s*(?:rs\.?|rupees|rupaye|inr|/-|dollars|euros|pounds)?",
    re.IGNORECASE,
)
_MONEY_MARK = re.compile(
    r"(rs\.?|inr|₹|\$|usd|eur|€|£|rupees|rupaye|dollars|euros|pounds|/-|worth|about|around|approx)", re.IGNORECASE
)

# A number followed by one of these counts something else: time, quantities, the clock.
_NOT_MONEY = re.compile(
    r"^\s*(day|days|week|weeks|month|months|year|years|hour|hours|hrs?|min|mins|minutes|litres?|liters?|ltrs?|l\b|"
    r"kgs?|kilos?|g\b|grams?|packets?|packs?|bottles?|items?|pieces?|pcs|times|people|am\b|pm\b|o'?clock)"
)


def _normal(text: str) -> str:
    return " ".join((text or "").lower().replace("\u2019", "'").split())


def claim_asks(text: str) -> tuple[ClaimAsk, ...]:
    """What the message asks compensation for, in that order: spoiled food, a discount."""
    words = _normal(text)
    found = []
    if _SPOILED.search(words):
        found.append(ClaimAsk.SPOILED_FOOD)
    if _DISCOUNT.search(words):
        found.append(ClaimAsk.DISCOUNT)
    return tuple(found)


def claimed_amount(text: str) -> Decimal | None:
    """The sum of money the message names ("about rs 1500", "₹2,000", "1.5k"), or None.

    A bare number counts only next to a money word or sign, or when it is the only number
    and at least 10 (a serial, a date or "2 litres of milk" is not an amount)."""
    words = _normal(text)
    candidates = []
    for match in _AMOUNT.finditer(words):
        digits, thousands = match.group(1), match.group(2)
        whole = match.group(0)
        before = words[max(0, match.start() - 8) : match.start()]
        glued = re.search(r"[a-z0-9]$", words[: match.start()]) or (
            not thousands and re.match(r"\d+(\.\d+)?[a-z]", words[match.start() :])
        )
        if glued or _NOT_MONEY.match(words[match.end() :]):
            continue  # part of a word or a serial ("ar26d004512", "2nd"), or a quantity ("3 days")
        marked = bool(_MONEY_MARK.search(whole) or _MONEY_MARK.search(before))
        try:
            value = (Decimal(digits.replace(",", "")) * (1000 if thousands else 1)).quantize(Decimal("0.01"))
        except InvalidOperation:
            continue
        candidates.append((marked, value))
    marked = [v for m, v in candidates if m]
    if marked:
        return marked[0]
    if len(candidates) == 1 and candidates[0][1] >= 10:
        return candidates[0][1]
    return None
