"""The refund amount the confirmation shows is the price of the unit the conversation is on:
a second unit has its own price, or none on file (a unit the customer registered by its
serial), and the request records exactly that (`remedy_requests._create`)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from actions.recall_form import amount_text
from bot.services.units import UnitState

CTX = SimpleNamespace(purchase_price=Decimal("32990"), definition=SimpleNamespace(currency="INR"))


def unit(price):
    return UnitState(id=2, serial="AR26D004514", model="FF260", affected=True, verified=True, remedy=None, price=price)


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (None, "₹32,990"),  # no state read: the customer's first affected unit
        (SimpleNamespace(unit=None), "₹32,990"),  # no unit pending: the same
        (SimpleNamespace(unit=unit(Decimal("27500"))), "₹27,500"),  # the second unit's own price
        (SimpleNamespace(unit=unit(None)), None),  # registered by its serial, no price on file: no amount promised
    ],
)
def test_the_amount_is_the_current_units(state, shown):
    assert amount_text(CTX, state) == shown
