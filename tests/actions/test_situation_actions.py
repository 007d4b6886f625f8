"""Situations (actions/situations.py), run directly on the real database: a unit is recorded
as gone only after a yes to the question that named it, and the recall goes on otherwise."""

import asyncio
import datetime as dt

from sqlalchemy import select

from actions.situations import ActionDisposition, ActionSituation
from bot.models import AuditEvent, Customer, Disposition, Unit
from bot.services.dispositions import record_disposition
from tests import factories
from tests.actions.support import BOT_SPOKE, run, tracker


def _asked(question_text: str, answer: str, pending: str, intent: str | None = None):
    """A tracker whose previous bot turn was the disposition question."""
    return [
        *BOT_SPOKE,
        {"event": "user", "text": question_text, "parse_data": {"intent": {"name": "tell_disposed"}}},
        {"event": "action", "name": "action_disposition"},
        {"event": "bot", "text": "Just to check: ..."},
        {"event": "slot", "name": "disposition_check", "value": "asked"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": answer, "parse_data": {"intent": {"name": intent}}},
    ]


def _units(action_db) -> dict[str, tuple[Disposition | None, bool]]:
    with action_db["factory"]() as s:
        return {
            u.serial: (u.disposition, u.disposition_at is not None) for u in s.scalars(select(Unit).order_by(Unit.id))
        }


def _audits(action_db) -> list[dict]:
    with action_db["factory"]() as s:
        return [e.detail for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "unit.disposition"))]


def _unit_id(action_db, serial: str) -> int:
    with action_db["factory"]() as s:
        return s.scalar(select(Unit.id).where(Unit.serial == serial))


def test_sold_is_asked_first_and_nothing_is_recorded(action_db):
    t = tracker(action_db["sender_id"], "i sold it last month", "tell_disposed", events=[*BOT_SPOKE])
    said, slots = asyncio.run(run(ActionDisposition(), t))
    assert said == [
        "Just to check: you no longer have the Arctica FrostFree 260L refrigerator (serial AR26D004512): "
        "you sold it? Reply YES or NO."
    ]
    unit_id = _unit_id(action_db, "AR26D004512")
    assert slots["disposition_check"] == "asked" and slots["disposition_pending"] == f"sold:{unit_id}"
    assert _units(action_db) == {"AR26D004512": (None, False)} and _audits(action_db) == []


def test_yes_to_the_question_records_the_unit_and_says_the_offer(action_db):
    unit_id = _unit_id(action_db, "AR26D004512")
    events = _asked("i sold it last month", "yes", f"sold:{unit_id}", "affirm")
    t = tracker(
        action_db["sender_id"],
        "yes",
        "affirm",
        slots={"disposition_check": "asked", "disposition_pending": f"sold:{unit_id}"},
        events=events,
    )
    said, slots = asyncio.run(run(ActionDisposition(), t))
    assert said[0].startswith("Thank you, we have noted that you sold the Arctica FrostFree 260L refrigerator")
    assert "pass this recall notice" in said[0]
    assert slots["disposition_check"] == "recorded"
    assert _units(action_db) == {"AR26D004512": (Disposition.SOLD, True)}
    [audit] = _audits(action_db)
    assert audit == {"unit_id": unit_id, "serial": "AR26D004512", "disposition": "sold", "text": "yes"}


def test_a_yes_not_right_after_the_question_records_nothing(action_db):
    unit_id = _unit_id(action_db, "AR26D004512")
    t = tracker(
        action_db["sender_id"],
        "yes",
        "affirm",
        slots={"disposition_check": "asked", "disposition_pending": f"sold:{unit_id}"},
        events=[*BOT_SPOKE],  # the question was not the bot's previous turn
    )
    said, slots = asyncio.run(run(ActionDisposition(), t))
    assert slots["disposition_check"] == "asked" and said[-1].startswith("Just to check")
    assert _audits(action_db) == []


def test_no_wait_its_still_here_keeps_the_unit(action_db):
    unit_id = _unit_id(action_db, "AR26D004512")
    t = tracker(
        action_db["sender_id"],
        "no wait its still here",
        "deny",
        slots={"disposition_check": "asked", "disposition_pending": f"sold:{unit_id}"},
        events=_asked("i sold it", "no wait its still here", f"sold:{unit_id}", "deny"),
    )
    said, slots = asyncio.run(run(ActionDisposition(), t))
    assert said == ["OK, nothing is changed: the unit stays on your recall. Let's carry on."]
    assert slots["disposition_check"] == "kept"
    assert _units(action_db) == {"AR26D004512": (None, False)} and _audits(action_db) == []


def test_several_units_ask_which_and_the_number_records_that_one(action_db):
    with action_db["factory"].begin() as s:
        asha = s.scalar(select(Customer))
        factories.unit(s, asha, "AR26D004519")
    t = tracker(action_db["sender_id"], "gave one to my sister", "tell_disposed", events=[*BOT_SPOKE])
    said, slots = asyncio.run(run(ActionDisposition(), t))
    assert "1. AR26D004512\n2. AR26D004519" in said[0] and "you gave it away?" in said[0]
    pending = slots["disposition_pending"]
    t = tracker(
        action_db["sender_id"],
        "2",
        "choose_option",
        slots={"disposition_check": "asked", "disposition_pending": pending},
        events=_asked("gave one to my sister", "2", pending, "choose_option"),
    )
    said, slots = asyncio.run(run(ActionDisposition(), t))
    assert "you gave away the Arctica FrostFree 260L refrigerator (serial AR26D004519)" in said[0]
    assert _units(action_db) == {"AR26D004512": (None, False), "AR26D004519": (Disposition.GIVEN_AWAY, True)}


def test_no_kind_said_asks_how_and_the_word_records_it(action_db):
    unit_id = _unit_id(action_db, "AR26D004512")
    t = tracker(action_db["sender_id"], "i dont have that fridge anymore", "tell_disposed", events=[*BOT_SPOKE])
    said, slots = asyncio.run(run(ActionDisposition(), t))
    assert "Reply SOLD, GAVE or THREW, or NO" in said[0] and slots["disposition_pending"] == f":{unit_id}"
    t = tracker(
        action_db["sender_id"],
        "threw it",
        "tell_disposed",
        slots={"disposition_check": "asked", "disposition_pending": f":{unit_id}"},
        events=_asked("i dont have that fridge anymore", "threw it", f":{unit_id}", "tell_disposed"),
    )
    said, _ = asyncio.run(run(ActionDisposition(), t))
    assert "you threw away" in said[0]
    assert _units(action_db) == {"AR26D004512": (Disposition.DISPOSED, True)}


def test_moved_house_asks_for_the_new_address(action_db):
    t = tracker(action_db["sender_id"], "we moved to mumbai", "tell_moved", events=[*BOT_SPOKE])
    said, slots = asyncio.run(run(ActionSituation(), t))
    assert said == ["Thanks for letting us know. The recall goes with you: the fix is free at your new address too."]
    assert slots == {"address_confirmed": False, "address": None, "postcode": None}


def test_repaired_elsewhere_names_the_fault(action_db):
    t = tracker(action_db["sender_id"], "got it fixed at a local shop", "tell_repaired_elsewhere", events=[*BOT_SPOKE])
    said, slots = asyncio.run(run(ActionSituation(), t))
    assert "A repair elsewhere does not fix the fault" in said[0] and "refrigerant valve" in said[0]
    assert slots == {}


def test_a_recorded_disposition_stands_and_is_only_the_owners(action_db):
    unit_id = _unit_id(action_db, "AR26D004512")
    with action_db["factory"].begin() as s:
        customer_id = s.scalar(select(Customer.id))
        assert not record_disposition(
            s, customer_id=customer_id + 1, unit_id=unit_id, disposition=Disposition.SOLD, text="x", now=factories_now()
        )
        assert record_disposition(
            s, customer_id=customer_id, unit_id=unit_id, disposition=Disposition.SOLD, text="x", now=factories_now()
        )
        assert not record_disposition(
            s, customer_id=customer_id, unit_id=unit_id, disposition=Disposition.DISPOSED, text="y", now=factories_now()
        )
    assert _units(action_db) == {"AR26D004512": (Disposition.SOLD, True)} and len(_audits(action_db)) == 1


def factories_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
