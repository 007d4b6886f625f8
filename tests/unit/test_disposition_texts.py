"""The disposition question, the texts around it, and the e2e check that counts a unit
recorded as gone without that question answered (tests/support/irreversible.py)."""

from __future__ import annotations

import pytest

from bot.campaigns.definition import parse_definition, read_definition
from bot.conversation import texts
from tests.factories import DEMO_CAMPAIGN
from tests.support.irreversible import UNIT_GONE, Outcome, Turn, confirmed

D = read_definition(DEMO_CAMPAIGN)
SOLD = texts.confirm_disposition(D, "sold", "AR26D004512")
WHICH = texts.confirm_disposition_which(D, "given_away", ["AR26D004513", "AR26D004514"])
HOW = texts.confirm_disposition(D, None, "AR26D004512")


def test_the_question_names_the_unit_and_what_happened():
    assert SOLD == (
        "Just to check: you no longer have the Arctica FrostFree 260L refrigerator (serial AR26D004512): "
        "you sold it? Reply YES or NO."
    )
    assert "1. AR26D004513\n2. AR26D004514" in WHICH and "you gave it away?" in WHICH
    assert "Reply SOLD, GAVE or THREW, or NO" in HOW


@pytest.mark.parametrize(
    ("disposition", "said"),
    [("sold", "you sold"), ("given_away", "you gave away"), ("disposed", "you threw away")],
)
def test_recorded_says_what_the_campaign_offers(disposition, said):
    text = texts.disposition_recorded(D, disposition, "AR26D004512")
    assert f"noted that {said} the Arctica FrostFree 260L refrigerator (serial AR26D004512)" in text
    assert D.disposed_units and D.disposed_units in text
    assert "RP-ABC234" in texts.disposition_recorded(D, disposition, "AR26D004512", "RP-ABC234")


def test_without_the_campaign_field_the_notice_is_to_be_passed_on():
    data = D.model_dump(by_alias=True, mode="json")
    data.pop("disposed_units")
    bare = parse_definition(data)
    assert bare.disposed_units is None
    assert "pass this recall notice to whoever has the Arctica FrostFree 260L refrigerator now" in (
        texts.disposition_recorded(bare, "sold", "AR26D004512")
    )


@pytest.mark.parametrize("value", ["", "x" * 401, 12])
def test_the_campaign_field_is_checked(value):
    data = D.model_dump(by_alias=True, mode="json") | {"disposed_units": value}
    with pytest.raises(ValueError, match="disposed_units"):
        parse_definition(data)


def transcript(*turns: tuple[bool, str]) -> list[Turn]:
    return [Turn(float(i), by_customer, text) for i, (by_customer, text) in enumerate(turns)]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        ([(True, "i sold it last month"), (False, SOLD), (True, "yes")], True),
        ([(True, "gave one to my sister"), (False, WHICH), (True, "2")], True),
        ([(True, "dont have it anymore"), (False, HOW), (True, "sold")], True),
        ([(True, "i sold it last month")], False),  # recorded on the words alone
        ([(True, "i sold it"), (False, SOLD), (True, "AR26D004512"), (False, "OK."), (True, "yes")], False),
    ],
)
def test_a_unit_recorded_as_gone_needs_the_question_answered(turns, expected):
    said = transcript(*turns)
    assert confirmed(Outcome(UNIT_GONE, 1, said[-1].at + 0.5, ("t",)), said) is expected
