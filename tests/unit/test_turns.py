import pytest

from bot.gateway.turns import TurnKind, plan_turn


@pytest.mark.parametrize(
    ("body", "media", "opted_out", "kind"),
    [
        ("STOP", 0, False, TurnKind.OPT_OUT),
        ("stop!", 0, False, TurnKind.OPT_OUT),
        ("Unsubscribe", 0, False, TurnKind.OPT_OUT),
        ("cancel", 0, False, TurnKind.OPT_OUT),
        ("STOP", 0, True, TurnKind.SILENT),  # already out: no second confirmation
        ("START", 0, True, TurnKind.OPT_IN),
        ("yes", 0, True, TurnKind.OPT_IN),
        ("unstop", 0, True, TurnKind.OPT_IN),
        ("yes", 0, False, TurnKind.DIALOGUE),  # an ordinary answer while subscribed
        ("START", 0, False, TurnKind.DIALOGUE),
        ("AR26D004512", 0, True, TurnKind.SILENT),
        ("HELP", 0, True, TurnKind.SILENT),
        ("help", 0, False, TurnKind.HELP),
        ("info.", 0, False, TurnKind.HELP),
        ("help me book a repair", 0, False, TurnKind.DIALOGUE),
        ("cancel booking", 0, False, TurnKind.DIALOGUE),
        ("", 1, False, TurnKind.MEDIA_ONLY),
        ("  ", 2, False, TurnKind.MEDIA_ONLY),
        ("", 0, False, TurnKind.EMPTY),
        ("", 1, True, TurnKind.SILENT),
        ("here is the label", 1, False, TurnKind.DIALOGUE),
    ],
)
def test_plan_turn(body, media, opted_out, kind):
    assert plan_turn(body, media, opted_out=opted_out) is kind


@pytest.mark.parametrize(
    ("body", "media", "opted_out", "kind"),
    [
        ("where is the person??", 0, False, TurnKind.FOR_AGENT),
        ("AR26D004512", 0, False, TurnKind.FOR_AGENT),  # even what the bot would understand
        ("", 1, False, TurnKind.FOR_AGENT),  # a photo, for the agent
        ("", 0, False, TurnKind.FOR_AGENT),
        ("STOP", 0, False, TurnKind.OPT_OUT),  # the keywords work on every path
        ("help", 0, False, TurnKind.HELP),
        ("START", 0, True, TurnKind.OPT_IN),
        ("hello?", 0, True, TurnKind.SILENT),
    ],
)
def test_plan_turn_while_a_person_has_the_conversation(body, media, opted_out, kind):
    assert plan_turn(body, media, opted_out=opted_out, with_person=True) is kind
