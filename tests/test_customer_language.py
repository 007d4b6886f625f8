"""The customer's language (issue 17, item 2): which source wins (`note_language`), and the
conversation's context in that language (`load_context`) — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, Campaign, Customer
from bot.services.conversations import load_context, open_conversation
from bot.services.languages import note_language
from tests import factories

W, L, C = "written", "list", "chosen"


@pytest.fixture
def customer_id(session_factory) -> int:
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)  # ships en, hi, hi-Latn
        return factories.customer(s, campaign).id


def noted(session_factory, customer_id, *calls: dict) -> tuple[str | None, str | None]:
    """(language, source) after `note_language` with each call's arguments, each in its own transaction."""
    for arguments in calls:
        with session_factory.begin() as s:
            customer = s.get(Customer, customer_id)
            note_language(s, customer, **arguments)
    with session_factory() as s:
        customer = s.get(Customer, customer_id)
        return customer.language, customer.language_source.value if customer.language_source else None


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        ([], (None, None)),
        ([{"detected": "hi"}], ("hi", W)),
        ([{"detected": "hi"}, {"detected": "hi-Latn"}], ("hi-Latn", W)),  # writing follows the writing
        ([{"detected": "hi"}, {"detected": None}], ("hi", W)),  # a neutral message changes nothing
        ([{"listed": "hi"}, {"detected": "en"}], ("hi", L)),  # the list beats writing
        ([{"detected": "en"}, {"listed": "hi"}], ("hi", L)),
        ([{"listed": "hi"}, {"listed": "en"}], ("en", L)),  # a newer list
        ([{"requested": "hi"}, {"detected": "en"}, {"listed": "en"}], ("hi", C)),  # a choice sticks
        ([{"requested": "hi"}, {"requested": "en"}], ("en", C)),  # ... until the next choice
        ([{"detected": "hi", "requested": "en"}], ("en", C)),  # one message: the request wins
        ([{"requested": "HI_latn"}], ("hi-Latn", C)),  # canonical
        ([{"requested": "ta"}], (None, None)),  # not shipped: not kept
        ([{"detected": "hi"}, {"requested": "ta"}], ("hi", W)),
        ([{"listed": "fr"}], (None, None)),
        ([{"requested": "nonsense!"}], (None, None)),
    ],
)
def test_which_source_wins(session_factory, customer_id, calls, expected):
    assert noted(session_factory, customer_id, *calls) == expected


def test_only_the_campaigns_languages_are_kept(session_factory, customer_id):
    assert noted(session_factory, customer_id, {"detected": "hi", "languages": ["en"]}) == (None, None)
    assert noted(session_factory, customer_id, {"requested": "hi-Latn", "languages": ["en", "hi-Latn"]}) == (
        "hi-Latn",
        C,
    )


def test_each_change_is_audited_once(session_factory, customer_id):
    noted(
        session_factory, customer_id, {"detected": "hi"}, {"detected": "hi"}, {"requested": "hi"}, {"requested": "en"}
    )
    noted(session_factory, customer_id, {"requested": "hi", "actor": "agent@example.com"})
    with session_factory() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "customer.language").order_by(AuditEvent.id))
        assert [(e.actor, e.detail) for e in events] == [
            ("customer", {"from": None, "to": "hi", "source": "written"}),
            ("customer", {"from": "hi", "to": "en", "source": "chosen"}),
            ("agent@example.com", {"from": "en", "to": "hi", "source": "chosen"}),
        ]


def test_the_context_is_in_the_customers_language(session_factory, customer_id):
    with session_factory.begin() as s:
        sender_id = open_conversation(s, "+919812300001").sender_id
    with session_factory() as s:
        english = load_context(s, sender_id)
    assert english.language == "en" and "फ्रिज" not in english.definition.product

    noted(session_factory, customer_id, {"requested": "hi"})
    with session_factory() as s:
        hindi = load_context(s, sender_id)
    assert hindi.language == "hi"
    assert hindi.definition.product == "Arctica FrostFree 260L फ्रिज"  # translations.hi
    assert hindi.definition.brand == english.definition.brand

    with session_factory.begin() as s:  # a language the campaign no longer ships: its default
        campaign = s.scalar(select(Campaign))
        campaign.definition = {**campaign.definition, "languages": ["en"], "translations": {}}
    with session_factory() as s:
        fallback = load_context(s, sender_id)
    assert fallback.language == "en" and fallback.definition.product == english.definition.product
