"""Questions answered from the campaign fields: question × fields → answer; a missing field offers a person."""

import copy
from pathlib import Path

import pytest
import yaml

from bot.campaigns.definition import CampaignDefinitionError, parse_definition
from bot.conversation import texts

DEMO = yaml.safe_load((Path(__file__).resolve().parents[2] / "demo" / "campaign.yml").read_text())
UNKNOWN = texts.answer_unknown()


def campaign(**changes):
    """The demo campaign with top-level keys replaced (None deletes the key)."""
    data = copy.deepcopy(DEMO)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return parse_definition(data)


NO_REFUND = {"repair": DEMO["remedies"]["repair"], "replacement": DEMO["remedies"]["replacement"]}
NO_REPLACEMENT = {"repair": DEMO["remedies"]["repair"], "refund": DEMO["remedies"]["refund"]}

CASES = [
    # (question, campaign changes, words the answer holds)
    ("ask_who_is_this", {}, ["This is Arctica Care", "Arctica Appliances", "free recall", "PERSON"]),
    ("ask_is_it_real", {}, ["genuine", "https://www.arctica-appliances.in/recall", "+91 1800 266 0260", "never ask"]),
    ("ask_is_it_real", {"contact": {"phone": "+91 1800 266 0260"}}, ["call +91 1800 266 0260"]),
    ("ask_is_it_real", {"contact": None}, [UNKNOWN]),
    ("ask_how_got_number", {}, ["from the sales record of the shop you bought it from"]),
    ("ask_how_got_number", {"data_source": None}, [UNKNOWN]),
    ("ask_about_data", {}, ["only for this recall", "never sell"]),
    ("ask_about_data", {"privacy": None}, [UNKNOWN]),
    ("ask_what_to_do", {}, ["serial number", "free repair at your home or a new replacement", "a full refund"]),
    ("ask_refund_time", {}, ["within 7 days", "account"]),
    ("ask_refund_time", {"refund_days": 3}, ["within 3 days"]),
    ("ask_refund_time", {"refund_days": None}, [UNKNOWN]),
    ("ask_refund_time", {"remedies": NO_REFUND}, ["does not offer a refund"]),
    ("ask_replacement_time", {}, ["delivered within 10 days", "take the old one away"]),
    ("ask_replacement_time", {"replacement_days": None}, [UNKNOWN]),
    ("ask_replacement_time", {"remedies": NO_REPLACEMENT}, ["does not offer a replacement"]),
    ("ask_warranty", {}, ["original warranty stays valid", "by 12 months"]),
    ("ask_warranty", {"warranty": None}, ["extend the warranty", "by 12 months"]),
    ("ask_warranty", {"warranty": None, "extended_warranty_months": 0}, [UNKNOWN]),
    ("ask_visit", {}, ["replaces the refrigerant valve", "18 or over needs to be at home", "about 90 minutes"]),
    ("ask_visit", {"visit": {"someone_home": False}}, ["Nobody needs to be at home", "90 minutes"]),
    ("ask_visit", {"visit": None, "remedies": NO_REPLACEMENT | {"repair": {"label": "Free repair"}}}, [UNKNOWN]),
    ("ask_duration", {}, ["about 90 minutes"]),
]


@pytest.mark.parametrize(("question", "changes", "expected"), CASES)
def test_answer_from_campaign_fields(question, changes, expected):
    said = texts.answer(campaign(**changes), question)
    for words in expected:
        assert words in said, said


@pytest.mark.parametrize("question", texts.QUESTION_INTENTS)
def test_every_question_has_an_answer_even_with_no_optional_field(question):
    bare = campaign(contact=None, data_source=None, privacy=None, refund_days=None, replacement_days=None)
    assert texts.answer(bare, question)


def test_the_refund_question_is_not_answered_with_the_repair_length():
    assert "90 minutes" not in texts.answer(campaign(), "ask_refund_time")


@pytest.mark.parametrize(
    ("key", "value", "problem_key", "words"),
    [
        ("contact", {"website": "arctica"}, "contact.website", "not a web address"),
        ("contact", {"phone": "call us"}, "contact.phone", "not a phone number"),
        ("contact", {"email": "a@b.in"}, "contact.email", "unknown key"),
        ("refund_days", 0, "refund_days", "greater than or equal to 1"),
        ("replacement_days", "soon", "replacement_days", "valid integer"),
        ("data_source", "", "data_source", "at least 1 character"),
        ("visit", {"someone_hom": True}, "visit.someone_hom", "did you mean 'someone_home'"),
        ("visit", {"someone_home": "maybe"}, "visit.someone_home", "valid boolean"),
    ],
)
def test_question_fields_are_validated_naming_the_key(key, value, problem_key, words):
    data = copy.deepcopy(DEMO)
    data[key] = value
    with pytest.raises(CampaignDefinitionError) as info:
        parse_definition(data, "test.yml")
    problems = dict(info.value.problems)
    assert words in problems[problem_key], problems


def test_question_fields_are_optional():
    empty = dict.fromkeys(("contact", "data_source", "privacy", "refund_days", "replacement_days", "warranty"))
    bare = campaign(**empty)
    assert bare.contact.website is None and bare.refund_days is None and bare.visit.someone_home is True


@pytest.mark.parametrize(
    ("text", "insult", "person"),
    [
        ("is this a scam??", False, False),  # a trust question, answered with the official contact
        ("scam??", False, False),
        ("this is fraud right", False, False),
        ("this recall is a scam", True, False),  # an accusation still reads as a complaint
        ("you are frauds", True, False),
        ("does someone need to be home for the technician", False, False),  # ask_visit, not a person
        ("i need someone to talk to", False, True),
    ],
)
def test_trust_and_visit_questions_are_not_handoff_signals(text, insult, person):
    from rasa_components.signals import read_signals

    signals = read_signals(text)
    assert (signals.insult, signals.person) == (insult, person)
