"""The recall notice and reminders as sent: SMS text (linted for cost) and WhatsApp
template variables. Plain functions of the campaign definition."""

from __future__ import annotations

from bot.campaigns.definition import CampaignDefinition
from bot.domain.sms import non_gsm_characters, segment_count

MAX_SEGMENTS = 2
NOTICE = "notice"


def reminder_step(number: int) -> str:
    return f"reminder{number}"


def _hello(first_name: str) -> str:
    return f"Hi {first_name}, " if first_name else ""


def notice_text(d: CampaignDefinition, first_name: str = "") -> str:
    """Brand, product and 'recall'; sorry and thank you; what is wrong; the fix is free;
    how to answer (the serial, where to find it); HELP/STOP."""
    what = (d.outreach.hazard_summary or d.hazard).rstrip(".")
    return (
        f"{d.sender_name}: {_hello(first_name)}RECALL of the {d.product}. Sorry: {what}. The fix is "
        f"free. Thank you for choosing {d.brand}. Reply with your serial number. {d.serial_hint} "
        f"HELP for help, STOP to opt out."
    )


def reminder_text(d: CampaignDefinition, first_name: str = "") -> str:
    return (
        f"{d.sender_name}: {_hello(first_name)}a reminder about the free fix for your {d.product} (RECALL). "
        f"Please reply with your serial number. {d.serial_hint} Reply STOP to opt out."
    )


def text_for(step: str, d: CampaignDefinition, first_name: str = "") -> str:
    return notice_text(d, first_name) if step == NOTICE else reminder_text(d, first_name)


def whatsapp_template(step: str, d: CampaignDefinition) -> str | None:
    """The approved template's ContentSid for this step (None: no template, no WhatsApp)."""
    if step == NOTICE:
        return d.outreach.whatsapp_template_sid
    return d.outreach.whatsapp_reminder_template_sid or d.outreach.whatsapp_template_sid


def template_variables(d: CampaignDefinition, first_name: str = "") -> dict[str, str]:
    """ContentVariables: {{1}} name, {{2}} product, {{3}} what is wrong, {{4}} brand."""
    return {
        "1": first_name or "there",
        "2": d.product,
        "3": (d.outreach.hazard_summary or d.hazard).rstrip("."),
        "4": d.brand,
    }


def lint_sms(body: str) -> list[str]:
    """Warnings for an SMS: more than two segments, or characters outside GSM-7 (they
    switch the whole message to UCS-2: about three times the segments)."""
    warnings = []
    info = segment_count(body)
    if info.segments > MAX_SEGMENTS:
        warnings.append(
            f"needs {info.segments} segments ({info.encoding}, {len(body)} characters); keep it to {MAX_SEGMENTS}"
        )
    odd = non_gsm_characters(body)
    if odd:
        shown = " ".join(sorted(set(odd)))
        warnings.append(f"characters outside GSM-7 ({shown}) make it UCS-2: about 3x the segments")
    return warnings
