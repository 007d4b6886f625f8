"""The texts of several units per customer, from the demo recall."""

import pytest

from bot.campaigns.definition import read_definition
from bot.conversation import texts
from tests.factories import DEMO_CAMPAIGN

D = read_definition(DEMO_CAMPAIGN)


@pytest.mark.parametrize(("units", "minutes"), [(1, 90), (2, 180), (3, 270), (0, 90)])
def test_a_visit_takes_the_repair_time_per_unit(units, minutes):
    assert texts.visit_minutes(D, units) == minutes


def test_a_unit_joining_the_visit_says_both_and_the_new_length():
    text = texts.visit_joined(D, "RP-ABC234", "Tue 1 Dec, 09:00-13:00 (IST)", "AR26D004514", 2)
    assert "AR26D004514 on the same visit, RP-ABC234 Tue 1 Dec" in text
    assert "both refrigerators are repaired together" in text and "about 180 minutes" in text


@pytest.mark.parametrize(
    ("position", "lead"),
    [(1, "For your first refrigerator, AR26D004513: which would you like?"), (2, "Now your second refrigerator")],
)
def test_the_remedy_question_names_the_unit(position, lead):
    assert texts.ask_remedy_for_unit(D, position, "AR26D004513" if position == 1 else "X").startswith(lead)


@pytest.mark.parametrize(
    ("affected", "fine", "known", "says"),
    [
        (["A1"], ["B2"], [], ["A1 is one of the affected units", "B2 is not affected: nothing to do for that one"]),
        (["A1", "A2"], [], [], ["A1 and A2 are among the affected units", D.safety_advice]),
        ([], ["B1", "B2", "B3"], [], ["B1, B2 and B3 are not affected: nothing to do for those"]),
        ([], [], ["A1"], ["A1: already checked."]),
    ],
)
def test_several_serials_checked(affected, fine, known, says):
    text = texts.serials_checked(D, affected, fine, known)
    assert all(part in text for part in says), text
    assert (D.safety_advice in text) == bool(affected)


def test_the_next_serial_is_asked_by_its_place():
    assert texts.ask_next_serial(D, 2).startswith("Please send the serial number of your second refrigerator too.")
