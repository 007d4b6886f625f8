"""Campaign texts per language: `languages`, `translations`, `localized()`.

Every problem names its key (`translations.hi.hazard: missing translation`); a localized
definition has that language's texts and every other field as it was."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from bot.campaigns.definition import parse_definition, read_definition
from tests.factories import DEMO_CAMPAIGN
from tests.factories import definition_problems as problems

BASE = yaml.safe_load(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
SID_EN = "HX" + "a" * 32
SID_EN_REMINDER = "HX" + "b" * 32
SID_HI = "HX" + "c" * 32


def demo():
    return copy.deepcopy(BASE)


def _node(data, dotted: str):
    *parents, last = dotted.split(".")
    for part in parents:
        data = data[part]
    return data, last


def without(*paths: str):
    """The demo definition with these dotted keys deleted."""
    data = demo()
    for path in paths:
        node, last = _node(data, path)
        del node[last]
    return data


def with_(path: str, value, data=None):
    data = demo() if data is None else data
    node, last = _node(data, path)
    node[last] = value
    return data


# ------------------------------------------------------------------ the demo campaign


def test_the_demo_ships_english_hindi_and_hinglish():
    definition = read_definition(DEMO_CAMPAIGN)
    assert definition.languages == ["en", "hi", "hi-Latn"]
    assert definition.default_language == "en"
    assert definition.localized("hi").product == "Arctica FrostFree 260L फ्रिज"
    assert definition.localized("hi-Latn").product == "Arctica FrostFree 260L fridge"


DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.mark.parametrize("language", ["hi", "hi-Latn"])
def test_the_demo_translations_keep_names_and_the_free_fix(language):
    d = read_definition(DEMO_CAMPAIGN).localized(language)
    texts = [d.product, d.hazard, d.safety_advice, d.serial_hint, d.outreach.hazard_summary or ""]
    if language == "hi":
        assert all(DEVANAGARI.search(text) for text in texts), "Hindi is written in Devanagari"
    else:
        # Hinglish as typed on a phone: plain Latin letters, no diacritics, no Devanagari.
        assert all(text.isascii() for text in [*texts, d.privacy, d.warranty, d.disposed_units])
    assert "Arctica FrostFree 260L" in d.product and "AR26" in d.serial_hint
    assert "2026" in d.hazard  # which units: those fitted March to July 2026
    free = {"hi": "मुफ्त", "hi-Latn": "free"}[language]
    assert free in d.remedies.repair.label.lower()
    assert free in d.disposed_units.lower()
    assert "arctica-appliances.in/recall" in d.disposed_units and "+91 1800 266 0260" in d.disposed_units


# ------------------------------------------------------------------ errors name their key

MISSING = [
    # (what the file lacks, the key named)
    (without("translations.hi.hazard"), "translations.hi.hazard"),
    (without("translations.hi.sender_name"), "translations.hi.sender_name"),
    (without("translations.hi-Latn.safety_advice"), "translations.hi-Latn.safety_advice"),
    (without("translations.hi-Latn.remedies.refund"), "translations.hi-Latn.remedies.refund.label"),
    (without("translations.hi.remedies"), "translations.hi.remedies.repair.label"),
    (without("translations.hi.outreach"), "translations.hi.outreach.hazard_summary"),
    (without("translations.hi-Latn.visit.what_happens"), "translations.hi-Latn.visit.what_happens"),
    (without("translations.hi.goodwill"), "translations.hi.goodwill.discount.text"),
    (without("translations.hi-Latn.disposed_units"), "translations.hi-Latn.disposed_units"),
    # a text the top level gains needs a translation too
    (with_("help_text", "Reply with your serial, or PERSON."), "translations.hi.help_text"),
]


@pytest.mark.parametrize(("data", "key"), MISSING, ids=[key for _, key in MISSING])
def test_a_missing_translation_is_named_by_its_key(data, key):
    found = problems(data)
    assert found.get(key) == "missing translation", found


def test_a_language_without_translations_names_every_text():
    found = problems(without("translations.hi-Latn"))
    assert set(found.values()) == {"missing translation"}
    assert "translations.hi-Latn.product" in found and "translations.hi-Latn.remedies.repair.label" in found
    assert not any(key.startswith("translations.hi.") for key in found)
    # a text the campaign does not set (help_text) is not asked for
    assert "translations.hi-Latn.help_text" not in found


def test_a_text_the_campaign_drops_is_no_longer_required():
    data = without("disposed_units", "translations.hi.disposed_units", "translations.hi-Latn.disposed_units")
    assert parse_definition(data).localized("hi").disposed_units is None


BAD = [
    # (languages, translations change, key, message contains)
    (["en", "hindi!", "hi-Latn"], None, "languages[1]", "'hindi!' is not a language tag like en, hi or hi-Latn"),
    (["en", "hi", "hi-Latn", "12"], None, "languages[3]", "is not a language tag"),
    (["en", "hi"], None, "translations.hi-Latn", "hi-Latn is not one of languages ['en', 'hi']"),
    (["en", "hi", "hi-Latn", "HI"], None, "languages", "a language is listed twice"),
    ([], None, "languages", "at least 1"),
    (None, ("en", {"product": "Arctica fridge"}), "translations.en", "the top-level texts are already in en"),
    (None, ("ta", {"product": "Arctica குளிர்சாதனப் பெட்டி"}), "translations.ta", "ta is not one of languages"),
]


@pytest.mark.parametrize(("languages", "extra", "key", "message"), BAD, ids=[key for *_, key, _ in BAD])
def test_bad_languages_and_translations_name_their_key(languages, extra, key, message):
    data = demo()
    if languages is not None:
        data["languages"] = languages
    if extra is not None:
        data["translations"][extra[0]] = extra[1]
    found = problems(data)
    assert key in found, found
    assert message in found[key]


def test_a_bad_tag_as_a_translation_key_is_named():
    data = demo()
    data["translations"]["hindi!"] = data["translations"].pop("hi")
    found = problems(data)
    assert any(k.startswith("translations.hindi!") and "'hindi!' is not a language tag" in m for k, m in found.items())


def test_an_unknown_key_in_a_translation_is_named():
    found = problems(with_("translations.hi.hazzard", "..."))
    assert found["translations.hi.hazzard"] == "unknown key (did you mean 'hazard'?)"


# ------------------------------------------------------------------ tags normalised

TAGS = [
    (["EN", "HI", "HI_latn"], {"hi": "hi", "hi_LATN": "hi-Latn"}),
    (["en", "hi", "hi-latn"], {"HI": "hi", "Hi-Latn": "hi-Latn"}),
    ([" en ", "hi", "hi-LATN"], {"hi": "hi", "hi-Latn": "hi-Latn"}),
]


@pytest.mark.parametrize(("languages", "renamed"), TAGS)
def test_tags_are_normalised(languages, renamed):
    data = demo()
    data["languages"] = languages
    canonical = {written: data["translations"][tag] for written, tag in renamed.items()}
    data["translations"] = canonical
    definition = parse_definition(data)
    assert definition.languages == ["en", "hi", "hi-Latn"]
    assert set(definition.translations) == {"hi", "hi-Latn"}
    assert definition.localized("hi-Latn").product == "Arctica FrostFree 260L fridge"


def test_a_campaign_without_languages_is_english_only():
    definition = parse_definition(without("languages", "translations"))
    assert definition.languages == ["en"]
    assert definition.localized("hi") is definition


# ------------------------------------------------------------------ localized()


def test_localized_gives_the_languages_texts_and_keeps_the_rest():
    definition = parse_definition(demo())
    hindi = definition.localized("hi")
    assert hindi.product == "Arctica FrostFree 260L फ्रिज"
    labels = [hindi.remedies.repair.label, hindi.remedies.replacement.label, hindi.remedies.refund.label]
    assert labels == ["घर पर मुफ्त रिपेयर", "बदले में नया फ्रिज", "पूरी कीमत का रिफंड"]
    assert hindi.outreach.hazard_summary == "इसका वाल्व ब्लॉक होकर कूलिंग बंद कर सकता है"
    assert hindi.goodwill.discount.text.startswith("हमारी टीम")
    # not texts: as the definition has them
    assert hindi.remedies.offered() == definition.remedies.offered()
    assert hindi.remedies.repair.duration_minutes == 90
    assert hindi.affected == definition.affected
    assert hindi.affected.serial_ranges() == definition.affected.serial_ranges()
    assert hindi.service == definition.service
    assert [slot.times() for slot in hindi.service.slots] == [slot.times() for slot in definition.service.slots]
    assert (hindi.currency, hindi.country, hindi.slug, hindi.brand) == ("INR", "IN", definition.slug, definition.brand)
    assert hindi.contact == definition.contact and hindi.support_hours == definition.support_hours
    assert (hindi.refund_days, hindi.replacement_days, hindi.extended_warranty_months) == (7, 10, 12)
    assert hindi.goodwill.discount.percent == 15 and hindi.goodwill.spoiled_food == definition.goodwill.spoiled_food
    assert hindi.visit.someone_home is True
    assert hindi.outreach.quiet_hours == definition.outreach.quiet_hours
    assert hindi.outreach.max_reminders == definition.outreach.max_reminders
    # the definition itself is unchanged, and each language is built once
    assert definition.product == "Arctica FrostFree 260L refrigerator"
    assert definition.localized("hi") is hindi


LANGUAGE_FOR = [
    # (asked, written in, product)
    ("hi", "hi", "Arctica FrostFree 260L फ्रिज"),
    ("hi-Latn", "hi-Latn", "Arctica FrostFree 260L fridge"),
    ("en", "en", "Arctica FrostFree 260L refrigerator"),
    (None, "en", "Arctica FrostFree 260L refrigerator"),
    ("ta", "en", "Arctica FrostFree 260L refrigerator"),  # a language the campaign does not ship
    ("fr", "en", "Arctica FrostFree 260L refrigerator"),
    ("", "en", "Arctica FrostFree 260L refrigerator"),
]


@pytest.mark.parametrize(("asked", "language", "product"), LANGUAGE_FOR)
def test_an_unlisted_language_gets_the_defaults_texts(asked, language, product):
    definition = parse_definition(demo())
    assert definition.language_for(asked) == language
    assert definition.localized(asked).product == product
    if language == "en":
        assert definition.localized(asked) is definition


def test_a_hindi_first_campaign_defaults_to_hindi():
    data = demo()
    english = {"product": data["product"], "hazard": data["hazard"]}
    hindi = data["translations"].pop("hi")
    data.update({k: v for k, v in hindi.items() if not isinstance(v, dict)})
    data["remedies"] = {k: {**data["remedies"][k], **hindi["remedies"][k]} for k in data["remedies"]}
    data["outreach"]["hazard_summary"] = hindi["outreach"]["hazard_summary"]
    data["visit"]["what_happens"] = hindi["visit"]["what_happens"]
    data["goodwill"]["discount"]["text"] = hindi["goodwill"]["discount"]["text"]
    data["languages"] = ["hi", "en"]
    del data["translations"]
    found = problems(data)
    assert found["translations.en.product"] == "missing translation"
    data["translations"] = {"en": english}
    assert "translations.en.product" not in problems(data)


# ------------------------------------------------------------------ WhatsApp templates per language

TEMPLATES = [
    # (language, first message SID, reminder SID)
    ("en", SID_EN, SID_EN_REMINDER),
    ("hi", SID_HI, SID_EN_REMINDER),  # own notice template; no reminder of its own: the top level's
    ("hi-Latn", SID_EN, SID_EN_REMINDER),  # none of its own: the top level's
    ("ta", SID_EN, SID_EN_REMINDER),
]


@pytest.mark.parametrize(("language", "notice", "reminder"), TEMPLATES)
def test_a_template_sid_per_language_falls_back_to_the_top_level(language, notice, reminder):
    data = with_("outreach.whatsapp_template_sid", SID_EN)
    with_("outreach.whatsapp_reminder_template_sid", SID_EN_REMINDER, data)
    with_("translations.hi.outreach.whatsapp_template_sid", SID_HI, data)
    outreach = parse_definition(data).localized(language).outreach
    assert (outreach.whatsapp_template_sid, outreach.whatsapp_reminder_template_sid) == (notice, reminder)


def test_a_translation_needs_no_template_sid_and_a_bad_one_is_named():
    hindi = parse_definition(with_("outreach.whatsapp_template_sid", SID_EN)).localized("hi")
    assert hindi.outreach.whatsapp_template_sid == SID_EN
    found = problems(with_("translations.hi.outreach.whatsapp_template_sid", "HX123"))
    assert "translations.hi.outreach.whatsapp_template_sid" in found
