"""The customer's language: which of what we learn about it is kept (issue 17).

Three sources, weakest first: what the customer writes (`written`, detected from each
message), the buyer file's `language` column (`list`), and a request ("Hindi", "english
please"; or an agent setting it in the console: `chosen`). A source replaces the
language kept when it is at least as strong as the one that set it: a choice always
wins and sticks, a buyer list's language is not undone by what is detected, and
detection follows the customer's writing only while nothing better is known. Only a
language the campaign ships (`definition.languages`) is kept; another is ignored, and
the customer is written to in what was kept before, else in the campaign's default.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.domain.languages import canonical_language
from bot.models import AuditEvent, Campaign, Customer
from bot.models.customer import LanguageSource

_STRENGTH = {LanguageSource.WRITTEN: 1, LanguageSource.LIST: 2, LanguageSource.CHOSEN: 3}
_ACTORS = {LanguageSource.WRITTEN: "customer", LanguageSource.LIST: "import", LanguageSource.CHOSEN: "customer"}


def shipped_languages(session: Session, customer: Customer) -> tuple[str, ...]:
    """The languages the customer's campaign ships (its default first)."""
    campaign = session.get(Campaign, customer.campaign_id)
    assert campaign is not None
    return tuple(parse_definition(campaign.definition, campaign.slug).languages)


def stronger_or_equal(new: LanguageSource, current: LanguageSource | str | None) -> bool:
    """May `new` replace a language that `current` set?"""
    return current is None or _STRENGTH[new] >= _STRENGTH[LanguageSource(current)]


def note_language(
    session: Session,
    customer: Customer,
    detected: str | None = None,
    requested: str | None = None,
    listed: str | None = None,
    *,
    languages: Sequence[str] | None = None,
    actor: str | None = None,
) -> str | None:
    """Keep what this tells about the customer's language (any of the three may be None);
    returns the language kept (None: unknown, the campaign's default applies).

    `languages`: what the campaign ships, when the caller has its definition at hand.
    A change is recorded as audit event `customer.language` (by `actor`, else the
    customer, or the import for a list's language)."""
    shipped = tuple(languages) if languages is not None else None
    kept: tuple[str, LanguageSource] | None = None
    current = customer.language_source
    for source, value in (
        (LanguageSource.WRITTEN, detected),
        (LanguageSource.LIST, listed),
        (LanguageSource.CHOSEN, requested),
    ):
        language = canonical_language(value)
        if language is None or not stronger_or_equal(source, current):
            continue
        if shipped is None:
            shipped = shipped_languages(session, customer)
        if language in shipped:
            kept, current = (language, source), source
    if kept is None or (customer.language, customer.language_source) == kept:
        return customer.language
    before = customer.language
    customer.language, customer.language_source = kept
    if before != customer.language:
        session.add(
            AuditEvent(
                actor=actor or _ACTORS[kept[1]],
                action="customer.language",
                customer_id=customer.id,
                detail={"from": before, "to": customer.language, "source": kept[1].value},
            )
        )
    return customer.language
