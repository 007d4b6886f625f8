"""The notice in the customer's language (issue 17, item 5), through the simulator: a
Hindi buyer gets it in Devanagari (UCS-2, its segments counted by the app and by the
simulator and shown on the simulator's phone page), a Hinglish buyer in Latin letters
(GSM-7), an English one exactly as before; WhatsApp uses the template of the customer's
language, or SMS when that language has none."""

from __future__ import annotations

import html
import json

import httpx
import pytest
from sqlalchemy import select

from bot.campaigns.definition import parse_definition
from bot.domain.sms import segment_count
from bot.models import Campaign, Customer, Message
from bot.outreach.dispatcher import Dispatcher
from bot.outreach.notice import notice_text
from bot.twilio_sim import SimConfig, running_simulator
from tests import factories
from tests.outreach.support import AUTH_TOKEN, NOON_IST, TEMPLATE_SID

HINDI_TEMPLATE_SID = "HX" + "2" * 32
PHONES = {"en": "+919812300001", "hi": "+919812300002", "hi-Latn": "+919812300003", None: "+919812300004"}


@pytest.fixture
def sim():
    """The outreach tests' simulator, with an approved template in English and in Hindi."""
    templates = {
        TEMPLATE_SID: "Hello {{1}}, RECALL of the {{2}}: {{3}}. Reply with your serial.",
        HINDI_TEMPLATE_SID: "नमस्ते {{1}}, {{2}} का रिकॉल: {{3}}। अपना सीरियल नंबर भेजें।",
    }
    config = SimConfig(auth_token=AUTH_TOKEN, step_delay=0.01, read_delay=-1, auto_replies=False, templates=templates)
    with running_simulator(config) as handle:
        yield handle


def _dispatcher(session_factory, settings, sender_factory) -> Dispatcher:
    return Dispatcher(
        session_factory, settings, sender_factory=sender_factory, rate=200, concurrency=4, now=lambda: NOON_IST
    )


def _seed(session_factory, **outreach) -> tuple[str, dict[str | None, int]]:
    """The demo campaign (en, hi, hi-Latn) and one buyer per language, and one without."""
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        if outreach:
            definition = json.loads(json.dumps(campaign.definition))
            for path, value in outreach.items():
                target = definition
                *parents, last = path.split(".")
                for part in parents:
                    target = target.setdefault(part, {})
                target[last] = value
            parse_definition(definition, campaign.slug)
            campaign.definition = definition
        ids = {}
        for i, (language, phone) in enumerate(PHONES.items()):
            ids[language] = factories.customer(
                s, campaign, phone, f"AR26D{i:06d}", name="Asha Rao", language=language, whatsapp_opt_in=True
            ).id
        return campaign.slug, ids


def _definition(session_factory, slug):
    with session_factory() as s:
        campaign = s.scalar(select(Campaign).where(Campaign.slug == slug))
        return parse_definition(campaign.definition, slug)


def _outbound(sim, phone):
    return [m for m in sim.messages(phone) if m["direction"] == "outbound-api"]


def test_a_hindi_notice_rendered_counted_and_shown_on_the_phone_page(session_factory, settings, sender_factory, sim):
    slug, ids = _seed(session_factory)
    progress = _dispatcher(session_factory, settings, sender_factory).run(slug, channel="sms")
    assert progress.sent == 4 and progress.warnings == {}
    d = _definition(session_factory, slug)
    hindi = notice_text(d, "Asha", "hi")
    assert "रिकॉल" in hindi and "फ्रिज" in hindi and "STOP" in hindi and "HELP" in hindi
    info = segment_count(hindi)
    assert (info.encoding, info.segments) == ("UCS-2", 5)

    [sent] = _outbound(sim, PHONES["hi"])
    assert sent["body"] == hindi
    resource = sim.twilio_client().messages(sent["sid"]).fetch()  # the Twilio Messages API's own count
    assert int(resource.num_segments) == 5
    with session_factory() as s:
        row = s.scalar(select(Message).where(Message.customer_id == ids["hi"]))
        assert (row.body, row.segments, row.encoding) == (hindi, 5, "UCS-2")

    page = httpx.get(sim.base_url + "/", params={"phone": PHONES["hi"]}, trust_env=False)
    assert page.status_code == 200
    assert html.escape(hindi, quote=False) in page.text
    assert 'data-segments="5" data-encoding="UCS-2"' in page.text and "5 segments · UCS-2" in page.text
    bubbles = sim.api("GET", "/sim/api/conversation", params={"phone": PHONES["hi"]}).json()["threads"]["sms"]
    assert bubbles["messages"][0]["segments"] == {"count": 5, "encoding": "UCS-2", "label": "5 segments · UCS-2"}


def test_each_buyer_gets_the_notice_in_their_language(session_factory, settings, sender_factory, sim):
    slug, ids = _seed(session_factory)
    _dispatcher(session_factory, settings, sender_factory).run(slug, channel="sms")
    d = _definition(session_factory, slug)
    bodies = {language: _outbound(sim, phone)[0]["body"] for language, phone in PHONES.items()}
    assert bodies["en"] == notice_text(d, "Asha") == bodies[None]  # no language: the campaign's default
    assert bodies["en"].startswith("Arctica Care: Hi Asha, RECALL of the Arctica FrostFree 260L refrigerator.")
    assert bodies["hi"] == notice_text(d, "Asha", "hi")
    assert bodies["hi-Latn"] == notice_text(d, "Asha", "hi-Latn") and "fridge ka RECALL" in bodies["hi-Latn"]
    with session_factory() as s:
        rows = {c: s.scalar(select(Message).where(Message.customer_id == c)) for c in ids.values()}
        assert [(rows[ids[lang]].segments, rows[ids[lang]].encoding) for lang in PHONES] == [
            (2, "GSM-7"),
            (5, "UCS-2"),
            (2, "GSM-7"),
            (2, "GSM-7"),
        ]


def test_a_language_that_is_not_shipped_gets_the_default(session_factory, settings, sender_factory, sim):
    slug, ids = _seed(session_factory)
    with session_factory.begin() as s:
        s.get(Customer, ids[None]).language = "ta"  # Tamil: not one of the campaign's languages
    _dispatcher(session_factory, settings, sender_factory).run(slug, channel="sms")
    assert _outbound(sim, PHONES[None])[0]["body"] == notice_text(_definition(session_factory, slug), "Asha")


def test_whatsapp_uses_the_template_of_the_customers_language(session_factory, settings, sender_factory, sim):
    slug, _ = _seed(
        session_factory,
        **{
            "outreach.whatsapp_template_sid": TEMPLATE_SID,
            "translations.hi.outreach.whatsapp_template_sid": HINDI_TEMPLATE_SID,
        },
    )
    progress = _dispatcher(session_factory, settings, sender_factory).run(slug)
    assert progress.sent == 4
    english, hindi, hinglish = (_outbound(sim, PHONES[lang]) for lang in ("en", "hi", "hi-Latn"))
    assert [(m["sim"]["channel"], m["sim"]["content_sid"]) for m in english] == [("whatsapp", TEMPLATE_SID)]
    assert json.loads(english[0]["sim"]["content_variables"]) == {
        "1": "Asha",
        "2": "Arctica FrostFree 260L refrigerator",
        "3": "its valve can block and stop cooling",
        "4": "Arctica Appliances",
    }
    assert [(m["sim"]["channel"], m["sim"]["content_sid"]) for m in hindi] == [("whatsapp", HINDI_TEMPLATE_SID)]
    assert json.loads(hindi[0]["sim"]["content_variables"])["2"] == "Arctica FrostFree 260L फ्रिज"
    assert hindi[0]["body"].startswith("नमस्ते Asha, Arctica FrostFree 260L फ्रिज का रिकॉल")  # the simulator's rendering
    # Hinglish has no template of its own: the notice goes by SMS in Hinglish, not as the English template.
    assert [m["sim"]["channel"] for m in hinglish] == ["sms"] and "fridge ka RECALL" in hinglish[0]["body"]
