"""Outreach rules as plain functions: quiet hours, channel choice, the notice's lint,
a phone number's timezone."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.campaigns.definition import parse_definition, read_definition
from bot.domain.phones import timezone_of
from bot.domain.quiet_hours import is_quiet, parse_hhmm, quiet_now
from bot.models import Channel
from bot.outreach import notice
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


# --- the notice in the customer's language (issue 17) ---------------------------------------

DEMO = read_definition(PROJECT_ROOT / "demo" / "campaign.yml")


@pytest.mark.parametrize(
    ("language", "step", "name", "encoding", "segments"),
    [
        # (language, step, first name, encoding, segments): the figures of the demo campaign
        ("en", "notice", "", "GSM-7", 2),
        ("en", "notice", "Venkataraman", "GSM-7", 2),  # 306 characters: the most two segments hold
        ("en", "reminder1", "Venkataraman", "GSM-7", 2),
        ("hi", "notice", "", "UCS-2", 5),
        ("hi", "notice", "Venkataraman", "UCS-2", 5),
        ("hi", "reminder1", "Venkataraman", "UCS-2", 4),
        ("hi-Latn", "notice", "", "GSM-7", 2),
        ("hi-Latn", "notice", "Venkataraman", "GSM-7", 2),
        ("hi-Latn", "reminder1", "Venkataraman", "GSM-7", 2),
    ],
)
def test_the_demo_notice_and_reminders_per_language(language, step, name, encoding, segments):
    preview = {(p.language, p.step): p for p in notice.preview(DEMO, name)}[(language, step)]
    assert (preview.info.encoding, preview.info.segments, preview.warnings) == (encoding, segments, [])
    assert preview.body == notice.text_for(step, DEMO, name, language)


def test_the_english_notice_is_the_same_text_as_before_the_catalog():
    assert notice_text(DEMO, "Asha") == (
        "Arctica Care: Hi Asha, RECALL of the Arctica FrostFree 260L refrigerator. Sorry: its valve can block "
        "and stop cooling. The fix is free. Thank you for choosing Arctica Appliances. Reply with your serial "
        "number. It is on the label inside the door and starts with AR26. HELP for help, STOP to opt out."
    )
    assert reminder_text(DEMO) == (
        "Arctica Care: a reminder about the free fix for your Arctica FrostFree 260L refrigerator (RECALL). "
        "Please reply with your serial number. It is on the label inside the door and starts with AR26. "
        "Reply STOP to opt out."
    )
    assert notice_text(DEMO, "Asha", "en") == notice_text(DEMO, "Asha", None) == notice_text(DEMO, "Asha", "ta")


def test_the_hindi_and_hinglish_notices_use_the_localized_campaign():
    hindi, hinglish = notice_text(DEMO, "Asha", "hi"), notice_text(DEMO, "Asha", "hi-Latn")
    assert hindi.startswith("Arctica Care: नमस्ते Asha, Arctica FrostFree 260L फ्रिज का रिकॉल।")
    assert "इसका वाल्व ब्लॉक होकर कूलिंग बंद कर सकता है।" in hindi and "AR26 से शुरू होता है।" in hindi
    assert "Arctica FrostFree 260L fridge ka RECALL" in hinglish and "AR26 se shuru hota hai." in hinglish
    for text in (hindi, hinglish):
        assert "HELP" in text and "STOP" in text and "Arctica Appliances" in text  # the keywords stay as they are
    assert "रिकॉल" in reminder_text(DEMO, "", "hi") and "STOP" in reminder_text(DEMO, "", "hi")


def test_template_variables_and_templates_per_language():
    assert notice.template_variables(DEMO, "", "hi") == {
        "1": "ग्राहक",
        "2": "Arctica FrostFree 260L फ्रिज",
        "3": "इसका वाल्व ब्लॉक होकर कूलिंग बंद कर सकता है",
        "4": "Arctica Appliances",
    }
    assert notice.template_variables(DEMO, "Asha", "en")["1"] == "Asha"
    english, hindi = "HX" + "a" * 32, "HX" + "b" * 32
    data = DEMO.to_json()
    data["outreach"]["whatsapp_template_sid"] = english
    data["translations"]["hi"]["outreach"]["whatsapp_reminder_template_sid"] = hindi
    d = parse_definition(data)
    assert notice.whatsapp_template("notice", d, "en") == english
    assert notice.whatsapp_template("reminder1", d, "en") == english  # no reminder template: the notice's
    assert notice.whatsapp_template("notice", d, "ta") == english  # not shipped: the default's
    assert notice.whatsapp_template("reminder1", d, "hi") == hindi
    assert notice.whatsapp_template("notice", d, "hi") is None  # Hindi has no notice template: SMS, in Hindi
    assert notice.whatsapp_template("notice", d, "hi-Latn") is None
    assert notice.template_gaps(d) == ["hi", "hi-Latn"] and notice.template_gaps(DEMO) == []


@pytest.mark.parametrize(
    ("body", "warnings"),
    [
        ("नमस्ते, आपके फ्रिज का रिकॉल। " * 11, []),  # 319 UTF-16 units: 5 UCS-2 segments
        ("नमस्ते, आपके फ्रिज का रिकॉल। " * 12, ["needs 6 segments (UCS-2, 348 UTF-16 units); keep it to 5"]),
        ("फ्रिज “ठीक” है 👍", []),  # a Hindi text is UCS-2 anyway: curly quotes and emoji cost nothing more
        ("Aapka fridge “theek” ho jayega", ["characters outside GSM-7 (“ ”) make it UCS-2: about 3x the segments"]),
        ("Aapka fridge theek ho jayega 👍", ["characters outside GSM-7 (👍) make it UCS-2: about 3x the segments"]),
        ("Aapka fridge theek ho jayega", []),
        (
            "It’s " + "x" * 200,  # a Latin text that slipped to UCS-2 is held to GSM-7's two segments
            [
                "needs 4 segments (UCS-2, 205 UTF-16 units); keep it to 2",
                "characters outside GSM-7 (’) make it UCS-2: about 3x the segments",
            ],
        ),
        ("x" * 307, ["needs 3 segments (GSM-7, 307 characters); keep it to 2"]),
    ],
)
def test_lint_sms_per_script(body, warnings):
    assert notice.lint_sms(body) == warnings


def test_segment_limits_per_encoding():
    assert notice.MAX_SEGMENTS == {"GSM-7": 2, "UCS-2": 5}
    assert notice.segment_limit("नमस्ते") == 5 and notice.segment_limit("namaste") == 2
    assert notice.segment_limit("namaste “ji”") == 2
