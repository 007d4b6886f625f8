import pytest

from bot.domain.feedback import is_low, parse_score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("1", 1),
        (" 2 ", 2),
        ("3.", 3),
        ("five", 5),
        ("Five!", 5),
        ("fiv", 5),
        ("two", 2),
        ("4/5", 4),
        ("4 / 5", 4),
        ("5/5 thanks", 5),
        ("4 out of 5", 4),
        ("8/10", 4),
        ("10/10", 5),
        ("1 out of 10", 1),
        ("★★★★", 4),
        ("⭐⭐⭐⭐⭐", 5),
        ("***", 3),
        ("it was great 5", 5),
        ("5 stars", 5),
        ("i'd say 4, the guy was nice", 4),
        ("4.5", 5),
        ("2 - he came late", 2),
        ("terrible 1", 1),
        ("5 5", 5),
        # Hindi and Hinglish (issue 17)
        ("५", 5),
        ("४/५", 4),
        ("5 star", 5),
        ("5 star dunga", 5),
        ("paanch", 5),
        ("Paanch star", 5),
        ("teen", 3),
        ("char star", 4),
        ("ek", 1),
        ("do", 2),
        ("पांच", 5),
        ("पाँच स्टार", 5),
        ("मेरी रेटिंग चार है", 4),
        ("5 mein se 4", 4),
        ("10 में से 8", 4),
        ("5 star do", 5),  # "do" (give) beside a digit
        # no single score: asked again
        ("", None),
        (None, None),
        ("great", None),
        ("not bad", None),
        ("3 or 4", None),
        ("0", None),
        ("6", None),
        ("12", None),
        ("6/5", None),
        ("★★★★★★", None),
        ("my serial is AR26D004512", None),
        ("he came at 10:30", None),
        ("thanks for everything", None),
        ("call me at 5pm", None),
        # Hindi and Hinglish words that are no score
        ("bahut accha", None),  # praise alone is no number, as "great" is not
        ("बहुत अच्छा", None),
        ("ek number service", None),  # "ek number": first-class, not a 1
        ("ek problem thi", None),
        ("ekdum badhiya", None),
        ("technician ek ghante late aaya", None),
        ("do you need more details", None),  # English "do"
        ("what do i do now", None),
        ("teen ya char", None),  # two scores
    ],
)
def test_parse_score(text, expected):
    assert parse_score(text) == expected


@pytest.mark.parametrize(("score", "low"), [(1, True), (2, True), (3, False), (5, False)])
def test_low_scores_go_to_a_person(score, low):
    assert is_low(score) is low
