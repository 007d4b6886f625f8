"""When the gateway asks whether the action server is down, and what the customer hears
after a failure of ours."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.campaigns.definition import read_definition
from bot.gateway.system_failures import needs_action_server_check
from bot.gateway.turns import TurnKind
from bot.services.system_errors import apology
from tests.factories import DEMO_CAMPAIGN


@pytest.mark.parametrize(
    ("kind", "replies", "check"),
    [
        (TurnKind.DIALOGUE, [], True),  # Rasa answered nothing: the action server may be down
        (TurnKind.DIALOGUE, [""], True),
        (TurnKind.DIALOGUE, ["  ", "\n"], True),
        (TurnKind.DIALOGUE, ["Please send the serial number of your fridge."], False),  # healthy: no check
        (TurnKind.DIALOGUE, ["", "OK."], False),
        (TurnKind.FOR_AGENT, [], False),  # a person has the conversation: silence is expected
        (TurnKind.SILENT, [], False),  # opted out
        (TurnKind.EMPTY, [], False),
        (TurnKind.OPT_OUT, [], False),  # Twilio confirms STOP on SMS: no reply of ours
        (TurnKind.OPT_IN, [], False),
        (TurnKind.MEDIA_ONLY, [], False),  # answered by the gateway itself
        (TurnKind.HELP, ["help text"], False),
    ],
)
def test_needs_action_server_check(kind, replies, check):
    assert needs_action_server_check(kind, replies) is check


IST_WEDNESDAY_NOON = dt.datetime(2026, 3, 4, 6, 30, tzinfo=dt.UTC)  # 12:00 in Asia/Kolkata, a working day
IST_WEDNESDAY_NIGHT = dt.datetime(2026, 3, 4, 17, 30, tzinfo=dt.UTC)  # 23:00


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            IST_WEDNESDAY_NOON,
            "Sorry, something went wrong on our side. A person from Arctica Appliances will reply to you here shortly.",
        ),
        (
            IST_WEDNESDAY_NIGHT,
            "Sorry, something went wrong on our side. A person from Arctica Appliances will reply to you here "
            "from 09:00 tomorrow (our hours: Monday to Saturday, 09:00 to 18:00).",
        ),
    ],
)
def test_the_apology_names_the_brand_and_says_when(now, expected):
    assert apology(read_definition(DEMO_CAMPAIGN), now) == expected


def test_the_apology_without_a_campaign():
    assert apology(None, IST_WEDNESDAY_NOON) == (
        "Sorry, something went wrong on our side. A person from our team will reply to you here."
    )
