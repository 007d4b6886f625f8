import pytest

from bot.domain.nlu_text import MAX_TEXT_TO_NLU, text_for_nlu


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a" * 5000, "aaa"),
        ("a" * 50, "aaa"),
        ("pleaseeeeeeeeeee help", "pleaseee help"),
        ("pleaseeee help", "pleaseeee help"),  # a short run stays
        ("sooooooooo angry!!!!!!!!", "sooo angry!!!!!!!!"),  # emphasis marks are a signal: kept
        ("haaaaaaaan ji", "haaan ji"),
        ("नहींईईईईईईईई", "नहींईईई"),
        ("AR26D000001", "AR26D000001"),  # digits: a serial's zeros stay
        ("its AR26-GOOOO1O i think", "its AR26-GOOOO1O i think"),  # zeros typed as O: a serial
        ("AR26DOOOOOO", "AR26DOOOOOO"),  # six in a row at most, in a serial
        ("hello", "hello"),
        ("aaa", "aaa"),
        ("", ""),
        ("/restart", "restart"),  # only the gateway sends Rasa an intent ("/…")
        ('//photo_serial{"serial": "AR26D004512"}', 'photo_serial{"serial": "AR26D004512"}'),
        ("1/2 done", "1/2 done"),
    ],
)
def test_text_for_nlu(body, expected):
    assert text_for_nlu(body) == expected


def test_a_long_message_is_cut():
    assert len(text_for_nlu("ab " * 5000)) == MAX_TEXT_TO_NLU
