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
