"""A whole serial in a message the classifier took for a question while the serial is asked
("oh ok didnt know that. fine then, do the free one. AR26F000777" as `ask_visit`, found by
tests/e2e/test_offscript_after_situations.py): the serial is taken, and a question written
beside it is answered too (actions/two_things.py::serial_beside_question)."""

import asyncio

import pytest

from actions.recall_form import ValidateRecallForm
from tests.actions.support import BOT_SPOKE, run, tracker

AFFECTED = "AR26D004512 is one of the affected"


def at_serial(action_db, text, intent):
    t = tracker(
        action_db["sender_id"],
        text,
        intent,
        slots={"requested_slot": "serial"},
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
    )
    return asyncio.run(run(ValidateRecallForm(), t))


@pytest.mark.parametrize(
    ("text", "intent", "taken", "reply_holds"),
    [
        # (message, the classifier's intent, serial taken, what the reply holds besides "affected")
        ("oh ok didnt know that. fine then, do the free one. AR26D004512", "ask_visit", True, []),
        ("ok AR26-D 004512 hai, thik hai", "out_of_scope", True, []),
        ("AR26D004512. is the repair free?", "ask_cost", True, ["It costs you nothing"]),
        ("where do i find the AR26 number?", "ask_visit", False, []),  # no whole serial: the question's rule
        ("is the repair free?", "ask_cost", False, []),
        # a fault told with the serial, read as "it works" (tests/e2e/test_conversations_hindi.py)
        ("मेरा फ्रिज ठंडा नही कर रहा, serial AR26D004512 है", "tell_works_fine", True, []),
        ("its not cooling properly, AR26D004512", "tell_works_fine", True, []),
    ],
)
def test_a_serial_beside_a_question_is_taken(action_db, text, intent, taken, reply_holds):
    said, slots = at_serial(action_db, text, intent)
    reply = "\n".join(said)
    if taken:
        assert slots.get("serial") == "AR26D004512" and AFFECTED in reply
        for part in reply_holds:
            assert part in reply
    else:
        assert not slots.get("serial") and AFFECTED not in reply
