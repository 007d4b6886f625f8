"""The recall notice and reminders as sent: SMS text (linted for cost) and WhatsApp
template variables, in the customer's language. Plain functions of the campaign
definition.

Each text is one message of the catalog (bot/conversation/catalog.py), a whole SMS with
named placeholders, so a translator sees the notice as the customer will and may order
it as the language needs; the campaign's own texts in it (product, hazard, serial hint)
come from the definition localized to the same language (`translations.<language>`).
A customer's language is `definition.language_for(customer.language)`: theirs when the
campaign ships it, else the campaign's default.

SMS cost: Devanagari (like any script GSM-7 has no letters for) travels as UCS-2, 70
UTF-16 units in one segment and 67 per segment once split, so a Hindi notice takes more
segments than the same notice in English or Hinglish (GSM-7: 160, then 153). The lint
therefore holds each text to the limit of the encoding its script needs
(`MAX_SEGMENTS`), and warns about characters outside GSM-7 only in a text that would
otherwise be GSM-7 (a curly quote in English or Hinglish), not in a Hindi one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.campaigns.definition import CampaignDefinition
from bot.conversation.catalog import speaking, t
from bot.domain.sms import GSM7, UCS2, Encoding, SegmentInfo, needs_ucs2, non_gsm_characters, segment_count

# The most segments a notice or reminder may take, by the encoding its script needs.
# GSM-7: 2 segments (306 characters). UCS-2: 5 segments (335 UTF-16 units): about the same
# number of characters as two GSM-7 segments, so a translation is not cut to half the
# content of the English notice; it costs 2.5x the segments (Twilio bills each the same).
MAX_SEGMENTS: dict[Encoding, int] = {GSM7: 2, UCS2: 5}
NOTICE = "notice"


def reminder_step(number: int) -> str:
    return f"reminder{number}"


def _what(d: CampaignDefinition) -> str:
    """What is wrong, as a clause (no full stop: the text adds its own)."""
    return (d.outreach.hazard_summary or d.hazard).strip().rstrip(".।")


def notice_text(d: CampaignDefinition, first_name: str = "", language: str | None = None) -> str:
    """Brand, product and 'recall'; sorry and thank you; what is wrong; the fix is free;
    how to answer (the serial, where to find it); HELP/STOP. In `language` (the
    campaign's default when it does not ship that one)."""
    language = d.language_for(language)
    ld = d.localized(language)
    texts = {
        "sender": ld.sender_name,
        "product": ld.product,
        "hazard": _what(ld),
        "brand": ld.brand,
        "serial_hint": ld.serial_hint,
    }
    with speaking(language):
        if first_name:
            return t(
                "{sender}: Hi {first_name}, RECALL of the {product}. Sorry: {hazard}. The fix is free. "
                "Thank you for choosing {brand}. Reply with your serial number. {serial_hint} "
                "HELP for help, STOP to opt out.",
                first_name=first_name,
                **texts,
            )
        return t(
            "{sender}: RECALL of the {product}. Sorry: {hazard}. The fix is free. "
            "Thank you for choosing {brand}. Reply with your serial number. {serial_hint} "
            "HELP for help, STOP to opt out.",
            **texts,
        )


def reminder_text(d: CampaignDefinition, first_name: str = "", language: str | None = None) -> str:
    language = d.language_for(language)
    ld = d.localized(language)
    texts = {"sender": ld.sender_name, "product": ld.product, "serial_hint": ld.serial_hint}
    with speaking(language):
        if first_name:
            return t(
                "{sender}: Hi {first_name}, a reminder about the free fix for your {product} (RECALL). "
                "Please reply with your serial number. {serial_hint} Reply STOP to opt out.",
                first_name=first_name,
                **texts,
            )
        return t(
            "{sender}: a reminder about the free fix for your {product} (RECALL). "
            "Please reply with your serial number. {serial_hint} Reply STOP to opt out.",
            **texts,
        )


def text_for(step: str, d: CampaignDefinition, first_name: str = "", language: str | None = None) -> str:
    if step == NOTICE:
        return notice_text(d, first_name, language)
    return reminder_text(d, first_name, language)


def whatsapp_template(step: str, d: CampaignDefinition, language: str | None = None) -> str | None:
    """The approved template's ContentSid for this step in the customer's language (None:
    no template, no WhatsApp).

    A WhatsApp template is approved in one language. A language whose translation gives
    no template of its own has none: its customers get the SMS in their language rather
    than a template in another one (the lint says so, `template_gaps`)."""
    language = d.language_for(language)
    if language == d.default_language:
        outreach = d.outreach
    elif language in d.translations:
        outreach = d.translations[language].outreach
    else:
        return None
    if step == NOTICE:
        return outreach.whatsapp_template_sid
    return outreach.whatsapp_reminder_template_sid or outreach.whatsapp_template_sid


def template_variables(d: CampaignDefinition, first_name: str = "", language: str | None = None) -> dict[str, str]:
    """ContentVariables: {{1}} name, {{2}} product, {{3}} what is wrong, {{4}} brand, in
    the language of the template (`whatsapp_template` of the same language)."""
    language = d.language_for(language)
    ld = d.localized(language)
    with speaking(language):
        # Translators: the name in a WhatsApp template's greeting ("Hello {{1}}") when the
        # customer's name is not known: "Hello there".
        nobody = t("there")
    return {"1": first_name or nobody, "2": ld.product, "3": _what(ld), "4": ld.brand}


def segment_limit(body: str) -> int:
    """The most segments `body` may take: UCS-2's limit for a text in a script GSM-7 has
    no letters for (Devanagari), GSM-7's for any other (a Latin-script text stays GSM-7
    and is held to two segments even when a stray character would make it UCS-2)."""
    return MAX_SEGMENTS[UCS2 if needs_ucs2(body) else GSM7]


def lint_sms(body: str) -> list[str]:
    """Warnings for an SMS: more segments than its script allows (`segment_limit`), or,
    in a text that would otherwise be GSM-7, characters outside GSM-7 (they switch the
    whole message to UCS-2: about three times the segments)."""
    warnings = []
    info = segment_count(body)
    limit = segment_limit(body)
    if info.segments > limit:
        warnings.append(
            f"needs {info.segments} segments ({info.encoding}, {info.units} "
            f"{'characters' if info.encoding == GSM7 else 'UTF-16 units'}); keep it to {limit}"
        )
    if not needs_ucs2(body):
        odd = non_gsm_characters(body)
        if odd:
            shown = " ".join(sorted(set(odd)))
            warnings.append(f"characters outside GSM-7 ({shown}) make it UCS-2: about 3x the segments")
    return warnings


# --- the preview: every text of every language the campaign ships -----------------------


@dataclass(frozen=True)
class Preview:
    language: str
    step: str  # "notice", "reminder1", ...
    body: str
    info: SegmentInfo
    limit: int
    warnings: list[str]
    template_sid: str | None  # the WhatsApp template of this language and step (None: SMS only)


def preview(d: CampaignDefinition, first_name: str = "") -> list[Preview]:
    """The notice and each reminder (`max_reminders`, the same text each time) in every
    language the campaign ships, with encoding, segments and the lint's warnings."""
    steps = [NOTICE] + [reminder_step(n) for n in range(1, d.outreach.max_reminders + 1)]
    previews = []
    for language in d.languages:
        for step in steps:
            body = text_for(step, d, first_name, language)
            previews.append(
                Preview(
                    language=language,
                    step=step,
                    body=body,
                    info=segment_count(body),
                    limit=segment_limit(body),
                    warnings=lint_sms(body),
                    template_sid=whatsapp_template(step, d, language),
                )
            )
    return previews


def template_gaps(d: CampaignDefinition) -> list[str]:
    """The languages without a WhatsApp template of their own when the campaign has one
    (their customers get SMS)."""
    if whatsapp_template(NOTICE, d) is None:
        return []
    return [language for language in d.languages if whatsapp_template(NOTICE, d, language) is None]
