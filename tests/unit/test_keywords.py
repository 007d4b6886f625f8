import pytest

from bot.domain.keywords import (
    HELP_WORDS,
    OPT_IN_WORDS,
    OPT_OUT_WORDS,
    Keyword,
    classify_keyword,
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # every standard keyword, as Twilio lists them
        ("STOP", Keyword.OPT_OUT),
        ("STOPALL", Keyword.OPT_OUT),
        ("UNSUBSCRIBE", Keyword.OPT_OUT),
        ("CANCEL", Keyword.OPT_OUT),
        ("END", Keyword.OPT_OUT),
        ("QUIT", Keyword.OPT_OUT),
        ("REVOKE", Keyword.OPT_OUT),
        ("OPTOUT", Keyword.OPT_OUT),
        ("START", Keyword.OPT_IN),
        ("UNSTOP", Keyword.OPT_IN),
        ("YES", Keyword.OPT_IN),
        ("HELP", Keyword.HELP),
        ("INFO", Keyword.HELP),
        # any case, surrounding whitespace, trailing punctuation
        ("stop", Keyword.OPT_OUT),
        ("Stop!", Keyword.OPT_OUT),
        ("  StOp  ", Keyword.OPT_OUT),
        ("STOP.", Keyword.OPT_OUT),
        ("stop?!", Keyword.OPT_OUT),
        ("Stop !", Keyword.OPT_OUT),
        ("\tunsubscribe\n", Keyword.OPT_OUT),
        ("\u00a0Quit\u00a0", Keyword.OPT_OUT),  # non-breaking spaces
        (" yes. ", Keyword.OPT_IN),
        ("Start", Keyword.OPT_IN),
        ("unstop!", Keyword.OPT_IN),
        ("help?", Keyword.HELP),
        ("Info.", Keyword.HELP),
        # not a keyword: more than one word, other punctuation, look-alikes
        ("stop sending", None),
        ("STOP STOP", None),
        ("cancel booking", None),
        ("please stop", None),
        ("yes please", None),
        ("help me", None),
        ("stop-all", None),
        ("opt out", None),
        ("STOPP", None),
        ("stops", None),
        ("'stop'", None),
        ("!stop", None),
        ("stop,", None),
        ("no", None),
        ("y", None),
        ("", None),
        ("   ", None),
        ("...", None),
        (None, None),
    ],
)
def test_classify_keyword(body, expected):
    assert classify_keyword(body) is expected


def test_keyword_sets_do_not_overlap():
    assert not (OPT_OUT_WORDS & OPT_IN_WORDS or OPT_OUT_WORDS & HELP_WORDS or OPT_IN_WORDS & HELP_WORDS)
