"""The e2e check that nothing irreversible happens on a guess (tests/support/irreversible.py)
fails an unconfirmed outcome and passes a confirmed one."""

from __future__ import annotations

import pytest

from bot.campaigns.definition import read_definition
from bot.conversation import texts
from tests.factories import DEMO_CAMPAIGN
from tests.support.irreversible import CANCELLED, OPTED_OUT, WRONG_PERSON, Outcome, Turn, confirmed

ASKED = (
    "Just to check: this number is not the owner of the Arctica refrigerator? "
    "Reply YES to stop messages about this recall, or tell us what you need."
)
CANCEL = texts.confirm_cancel("RP-ABC234", "Mon 10:00")
# Another remedy after booking releases the visit: asked with texts.confirm_switch.
SWITCH = texts.confirm_switch(
    read_definition(DEMO_CAMPAIGN), "refund", "repair", ("repair", "RP-ABC234", "Tue 8 Dec 10:00"), "₹32,990"
)


def transcript(*turns: tuple[bool, str]) -> list[Turn]:
    return [Turn(float(i), by_customer, text) for i, (by_customer, text) in enumerate(turns)]


def outcome(kind: str, at: float) -> Outcome:
    return Outcome(kind, 1, at, ("t", kind))


@pytest.mark.parametrize(
    ("kind", "turns", "expected"),
    [
        (WRONG_PERSON, [(True, "wrong number"), (False, ASKED), (True, "yes")], True),
        (WRONG_PERSON, [(True, "hi, I have two of your fridges, both bought in May")], False),
        (
            WRONG_PERSON,
            [(True, "wrong number"), (False, ASKED), (True, "AR26D004512"), (False, "menu"), (True, "yes")],
            False,
        ),
        (WRONG_PERSON, [(True, "cancel"), (False, CANCEL), (True, "yes")], False),  # another question's yes
        (CANCELLED, [(True, "please cancel my booking"), (False, CANCEL), (True, "yes")], True),
        (CANCELLED, [(True, "cancel my booking")], False),
        (CANCELLED, [(True, "actually can i just get a refund instead"), (False, SWITCH), (True, "yes")], True),
        (CANCELLED, [(True, "actually can i just get a refund instead")], False),
        (OPTED_OUT, [(True, "hi"), (False, "hello"), (True, "STOP")], True),
        (OPTED_OUT, [(True, "stop texting me please")], True),
        (OPTED_OUT, [(True, "the fridge stopped working")], False),
        (WRONG_PERSON, [], False),
    ],
)
def test_confirmed(kind, turns, expected):
    said = transcript(*turns)
    at = said[-1].at + 0.5 if said else 1.0
    assert confirmed(outcome(kind, at), said) is expected
