import io
import logging

import pytest

from bot.logs import MaskPhones, mask_phones


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("message from +919812300001 stored", "message from +91******0001 stored"),
        ("to whatsapp:+14155238886", "to whatsapp:+14*****8886"),
        ("+44 7700 900123 asked", "+44******0123 asked"),
        ("serial AR26D004512, message 123456789", "serial AR26D004512, message 123456789"),  # not phones
        ("retry 3 in 1.5 s", "retry 3 in 1.5 s"),
        ("+12", "+12"),  # too short to be a number
    ],
)
def test_mask_phones(text, masked):
    assert mask_phones(text) == masked


def test_the_filter_masks_arguments_and_exceptions():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPhones())
    log = logging.getLogger("tests.mask")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("send to %s failed", "+919812300001")
        try:
            raise ValueError("The 'To' number +919812300001 is not valid")
        except ValueError:
            log.exception("Twilio said no")
    finally:
        log.removeHandler(handler)
    out = stream.getvalue()
    assert "9812300001" not in out and out.count("+91******0001") >= 2 and "ValueError" in out
