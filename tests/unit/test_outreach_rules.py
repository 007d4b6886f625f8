"""Outreach rules as plain functions: quiet hours, channel choice, the notice's lint,
a phone number's timezone."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.campaigns.definition import read_definition
from bot.domain.phones import timezone_of
from bot.domain.quiet_hours import is_quiet, parse_hhmm, quiet_now
from bot.models import Channel
from bot.outreach.channels import choose_channel
from bot.outreach.notice import lint_sms, notice_text, reminder_step, reminder_text
from bot.settings import PROJECT_ROOT

T = parse_hhmm


@pytest.mark.parametrize(
    ("local", "start", "end", "quiet"),
    [
        ("20:59", "21:00", "08:00", False),
        ("21:00", "21:00", "08:00", True),
        ("23:30", "21:00", "08:00", True),
        ("00:00", "21:00", "08:00", True),
        ("07:59", "21:00", "08:00", True),
        ("08:00", "21:00", "08:00", False),
        ("13:30", "13:00", "14:00", True),  # a window inside one day
        ("14:00", "13:00", "14:00", False),
        ("03:00", "00:00", "00:00", False),  # start == end: no quiet hours
    ],
)
def test_is_quiet(local, start, end, quiet):
    assert is_quiet(T(local), T(start), T(end)) is quiet


@pytest.mark.parametrize(
    ("utc", "zone", "quiet"),
    [
        ("2026-11-25T16:00", "Asia/Kolkata", True),  # 21:30 there
        ("2026-11-25T16:00", "Europe/London", False),  # 16:00 there
        ("2026-11-25T02:00", "America/New_York", True),  # 21:00 there
        ("2026-07-01T12:00", "America/New_York", False),  # 08:00 there (summer time)
    ],
)
def test_quiet_now_in_the_customers_timezone(utc, zone, quiet):
    now = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    assert quiet_now(now, zone, T("21:00"), T("08:00")) is quiet


@pytest.mark.parametrize(
    ("phone", "zone"),
    [
        ("+919812300001", "Asia/Calcutta"),  # India: one zone
        ("+12125550123", "America/New_York"),  # a New York number
        ("+447700900123", None),  # UK mobiles: London, Jersey, Guernsey, Isle of Man
        ("+12", None),  # not a number
    ],
)
def test_timezone_of_a_phone_number(phone, zone):
    assert timezone_of(phone) == zone


@pytest.mark.parametrize(
    ("requested", "opt_in", "template", "sms_bad", "wa_bad", "expected"),
    [
        ("auto", True, True, False, False, Channel.WHATSAPP),
        ("auto", False, True, False, False, Channel.SMS),  # not opted in to WhatsApp
        ("auto", True, False, False, False, Channel.SMS),  # no approved template
        ("auto", True, True, False, True, Channel.SMS),  # WhatsApp unreachable
        ("auto", False, False, True, False, None),  # SMS unreachable, no WhatsApp
        ("sms", True, True, False, False, Channel.SMS),
        ("sms", True, True, True, False, None),
        ("whatsapp", True, True, False, False, Channel.WHATSAPP),
        ("whatsapp", False, True, False, False, None),
    ],
)
def test_choose_channel(requested, opt_in, template, sms_bad, wa_bad, expected):
    assert (
        choose_channel(
            requested,
            whatsapp_opt_in=opt_in,
            has_template=template,
            sms_unreachable=sms_bad,
            whatsapp_unreachable=wa_bad,
        )
        is expected
    )


def test_the_demo_notice_names_the_recall_and_fits_two_gsm7_segments():
    d = read_definition(PROJECT_ROOT / "demo" / "campaign.yml")
    for name in ("", "Asha", "Venkataraman"):
        text = notice_text(d, name)
        assert lint_sms(text) == [], text
        for part in ("RECALL", d.brand, d.product, "Sorry", "Thank you", "free", "serial number", "STOP", "HELP"):
            assert part in text
    assert lint_sms(reminder_text(d, "Asha")) == []


@pytest.mark.parametrize(
    ("body", "warnings"),
    [
        ("Short and plain.", 0),
        ("x" * 306, 0),
        ("x" * 307, 1),  # three segments
        ("Price “quoted”", 1),  # curly quotes: UCS-2
        ("y" * 400 + "€" + "é", 1),  # € and é are GSM-7; only the length warns
    ],
)
def test_lint_sms(body, warnings):
    assert len(lint_sms(body)) == warnings


def test_reminder_steps_are_numbered():
    assert [reminder_step(n) for n in (1, 2)] == ["reminder1", "reminder2"]
