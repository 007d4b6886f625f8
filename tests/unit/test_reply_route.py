"""Where an agent's reply goes: the customer's channel, or SMS outside WhatsApp's window."""

import datetime as dt

import pytest

from bot.domain.reply_route import reply_route, whatsapp_window_open

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("last_inbound", "open_"),
    [
        (None, False),
        (NOW - 23 * H, True),
        (NOW - 24 * H + dt.timedelta(seconds=1), True),
        (NOW - 24 * H, False),
        (NOW - 72 * H, False),
    ],
)
def test_whatsapp_window(last_inbound, open_):
    assert whatsapp_window_open(last_inbound, NOW) is open_


@pytest.mark.parametrize(
    ("last_channel", "last_whatsapp", "flags", "channel", "warning_has"),
    [
        ("sms", None, {}, "sms", None),
        (None, None, {}, "sms", None),
        ("sms", NOW - H, {}, "sms", None),  # they switched back to SMS: answer there
        ("sms", None, {"sms_unreachable": True}, "sms", "may not arrive"),
        ("whatsapp", NOW - 2 * H, {}, "whatsapp", None),
        ("whatsapp", NOW - 30 * H, {}, "sms", "30 h ago"),
        ("whatsapp", NOW - 80 * H, {}, "sms", "3 d 8 h ago"),
        ("whatsapp", None, {}, "sms", "has not written on WhatsApp"),
        ("whatsapp", NOW - H, {"whatsapp_unreachable": True}, "sms", "could not reach"),
    ],
)
def test_reply_route(last_channel, last_whatsapp, flags, channel, warning_has):
    route = reply_route(last_channel, last_whatsapp, NOW, **flags)
    assert route.channel == channel
    if warning_has is None:
        assert route.warning is None
    else:
        assert warning_has in route.warning
