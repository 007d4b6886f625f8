"""Found by tests/e2e/test_offscript_after_units.py: "the 2nd one AR26G640002 i sold to my
neighbour last month" at the remedy step is a unit gone, asked about (not another unit's
serial: actions/units.py `serial_mid_form`), and "wait actually can i get refund instead of
new one for this fridge", which the classifier took for a compensation question at the time
step, is another remedy (actions/recall_form.py `remedy_change_misread`)."""

from types import SimpleNamespace

import pytest

from actions.recall_form import remedy_change_misread
from actions.units import serial_mid_form
from tests.actions.support import tracker

CTX = SimpleNamespace(definition=SimpleNamespace(affected=SimpleNamespace(serial_format="^AR26[A-Z][0-9]{6}$")))


@pytest.mark.parametrize(
    ("text", "intent", "another_unit"),
    [
        ("the 2nd one AR26G640002 i sold to my neighbour last month", "tell_disposed", False),
        ("AR26G640002 i gave to my sister", "choose_option", False),  # the words say it, whatever the intent
        ("wait the other one is AR26G640002", "inform_serial", True),
        ("i have one more, AR26G640002", "tell_disposed", False),  # the classifier's reading: asked, nothing recorded
    ],
)
def test_a_serial_at_the_remedy_step(text, intent, another_unit):
    t = tracker("s", text, intent, slots={"requested_slot": "remedy"}, active_loop="recall_form")
    assert serial_mid_form(t, CTX) is another_unit


@pytest.mark.parametrize(
    ("text", "intent", "misread"),
    [
        ("wait actually can i get refund instead of new one for this fridge", "ask_compensation", True),
        ("can i get a discount on a new one?", "ask_compensation", False),  # a discount: compensation
        ("can i get refund for my spoiled food", "ask_compensation", False),  # spoiled food: a claim
        ("do i get anything for the trouble", "ask_compensation", False),  # no remedy named
        ("wait actually can i get refund instead of new one for this fridge", "choose_refund", False),  # not misread
    ],
)
def test_a_remedy_change_read_as_compensation(text, intent, misread):
    t = tracker("s", text, intent, slots={"requested_slot": "booking_slot"}, active_loop="recall_form")
    assert remedy_change_misread(t) is misread
