import pytest

from bot.domain.nlu_text import MAX_TEXT_TO_NLU, text_for_nlu


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a" * 5000, "aaa"),
        ("pleaseeeeeee help", "pleaseee help"),
        ("sooooo angry!!!!!!", "sooo angry!!!!!!"),  # emphasis marks are a signal: kept
        ("haaaaan ji", "haaan ji"),
        ("नहींईईईईई", "नहींईईई"),
        ("AR26D000001", "AR26D000001"),  # digits: a serial's zeros stay
        ("hello", "hello"),
        ("aaa", "aaa"),
        ("", ""),
    ],
)
def test_text_for_nlu(body, expected):
    assert text_for_nlu(body) == expected


def test_a_long_message_is_cut():
    assert len(text_for_nlu("ab " * 5000)) == MAX_TEXT_TO_NLU
