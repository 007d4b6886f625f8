"""Whole conversations in Hindi (Devanagari) and in Hinglish (Hindi in Latin letters) through
the whole stack: real Rasa, the action server, the gateway and the Twilio simulator (issue 17,
acceptance item 2). Written the way customers type on a phone — short, typos, English words
inside Hindi, no diacritics in Hinglish — and not taken from the training data. Each test
asserts what the customer sees (replies in their language and script: Devanagari for `hi`,
Latin letters with Hindi words for `hi-Latn`) and what is stored (booking, request,
escalation, opt-out).

Sunita (+919812300044, `hi`) and Rohit (+919812300045, Hinglish) are the demo's Hindi
buyers; the other conversations are strangers (+9198000120xx) who text in and send an
affected serial: their language is detected from what they write."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.domain.languages import HINGLISH, detect_language
from bot.domain.scripts import Script, script_of
from bot.models import Booking, BookingStatus, Conversation, Customer, Escalation, OptOut, RemedyRequest, Unit

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

SUNITA, SUNITA_SERIAL = "+919812300044", "AR26E002345"  # hi, "B-14 Lajpat Nagar, New Delhi" 110024
ROHIT, ROHIT_SERIAL = "+919812300045", "AR26E002346"  # Hinglish, "22 Salt Lake Sector 1, Kolkata" 700064
REFERENCE = re.compile(r"\b(RP|PU|RL|RF)-[A-Z2-9]{6}\b")
# What stays in Latin letters in a Devanagari reply: serials, references, the brand and the
# product's model, the reply keywords (YES/NO/PERSON/START), web addresses.
LATIN_KEPT = re.compile(
    r"\bAR26[A-Za-z0-9]*\b|\b(?:RP|PU|RL|RF|GW)-[A-Z2-9]{6}\b|\b(?:YES|NO|PERSON|START|STOP|HELP)\b"
    r"|\bArctica\b|\bAppliances\b|\bCare\b|\bFrostFree\b|\b260L\b|https?://\S+|\barctica-appliances\.in\S*"
)


# --- what the customer sees ------------------------------------------------------------


def devanagari(reply: str, *kept: str) -> bool:
    """The reply is written in Devanagari, but for what stays in Latin letters (LATIN_KEPT, and
    `kept`: e.g. an address on file written in Latin letters)."""
    for text in kept:
        reply = reply.replace(text, " ")
    return script_of(LATIN_KEPT.sub(" ", reply)) is Script.DEVANAGARI


def hinglish(reply: str) -> bool:
    """The reply is Hindi in Latin letters: no Devanagari, and its words tell Hindi."""
    return script_of(reply) is Script.LATIN and detect_language(reply) == HINGLISH


def assert_hi(reply: str, *kept: str) -> None:
    assert reply, "no reply"
    assert devanagari(reply, *kept), f"not in Devanagari: {reply!r}"


def assert_hinglish(reply: str) -> None:
    assert reply, "no reply"
    assert hinglish(reply), f"not in Hinglish: {reply!r}"


def understood(chat) -> tuple:
    """How Rasa read the customer's last message (for the failure messages: an NLU misread)."""
    latest = chat.tracker().get("latest_message") or {}
    intent = latest.get("intent") or {}
    entities = [(e.get("entity"), e.get("value")) for e in latest.get("entities") or []]
    return latest.get("text"), intent.get("name"), round(intent.get("confidence") or 0, 2), entities


# --- what is stored ----------------------------------------------------------------------


def session(dialogue):
    return make_session_factory(make_engine(dialogue.database_url))()


def stored(dialogue, phone: str) -> dict:
    """The customer's language, bookings, requests, escalations, pause flag and opt-out."""
    with session(dialogue) as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        bookings = s.scalars(
            select(Booking).where(Booking.customer_id == customer.id, Booking.status == BookingStatus.BOOKED)
        ).all()
        requests = s.execute(
            select(RemedyRequest.kind, RemedyRequest.status, Unit.serial)
            .join(Unit, Unit.id == RemedyRequest.unit_id)
            .where(RemedyRequest.customer_id == customer.id)
            .order_by(RemedyRequest.id)
        ).all()
        escalations = s.scalars(select(Escalation).where(Escalation.customer_id == customer.id)).all()
        opt_out = s.scalar(select(OptOut).where(OptOut.phone == phone))
        return {
            "language": customer.language,
            "bookings": [(b.kind.value, b.reference) for b in bookings],
            "requests": [(kind.value, status.value, serial) for kind, status, serial in requests],
            "escalations": [(e.reason, e.status.value, e.trigger_text) for e in escalations],
            "paused": s.scalar(select(Conversation.bot_paused).where(Conversation.customer_id == customer.id)),
            "opt_out": (opt_out.source, opt_out.opted_in_at) if opt_out else None,
        }


# --- (1) a repair booked -------------------------------------------------------------------


def test_hindi_repair_booked(dialogue):
    """Sunita writes in Devanagari with English words in it; the address on file is right; she
    picks the second time by its ordinal word."""
    chat = dialogue.chat(SUNITA)
    assert_hi(chat.say("नमस्ते जी"))

    remedies = chat.say(f"मेरा फ्रिज ठीक से ठंडा नही कर रहा, serial {SUNITA_SERIAL} है")
    assert_hi(remedies)
    assert SUNITA_SERIAL in remedies and "घर पर मुफ्त रिपेयर" in remedies, (remedies, understood(chat))

    address = chat.say("रिपेयर करवा दो")
    assert_hi(address, "B-14 Lajpat Nagar, New Delhi", "New Delhi")
    assert "पता सही है" in address and "Lajpat Nagar" in address, address

    times = chat.say("हाँ सही है")
    assert_hi(times)
    assert "1." in times and "2." in times, times

    booked = chat.say("दूसरा वाला")
    assert_hi(booked, "B-14 Lajpat Nagar, New Delhi")
    assert REFERENCE.search(booked), booked
    after = stored(dialogue, SUNITA)
    assert [kind for kind, _ in after["bookings"]] == ["repair"]
    assert after["bookings"][0][1] in booked
    assert after["language"] == "hi" and after["escalations"] == []


def test_hinglish_repair_booked(dialogue):
    """Rohit writes Hindi in Latin letters, no diacritics; "ek" for the repair, "pehla wala" for
    the first time."""
    chat = dialogue.chat(ROHIT)
    assert_hinglish(chat.say("hello ji"))

    remedies = chat.say(f"recall ka msg aya tha, mera serial no {ROHIT_SERIAL.lower()} hai")
    assert_hinglish(remedies)
    assert ROHIT_SERIAL in remedies and "Ghar par free repair" in remedies, remedies

    address = chat.say("ek")
    assert_hinglish(address)
    assert "address sahi hai" in address and "Salt Lake" in address, address

    times = chat.say("haan sahi h")
    assert_hinglish(times)
    assert "1." in times and "2." in times, times

    booked = chat.say("pehla wala")
    assert_hinglish(booked)
    assert REFERENCE.search(booked), booked
    after = stored(dialogue, ROHIT)
    assert [kind for kind, _ in after["bookings"]] == ["repair"]
    assert after["bookings"][0][1] in booked
    assert after["language"] == HINGLISH and after["escalations"] == []


# --- (2) a refund requested and confirmed --------------------------------------------------


def test_hindi_refund_requested_and_confirmed(dialogue):
    phone, serial = "+919800012001", "AR26D204601"
    chat = dialogue.chat(phone)
    assert_hi(chat.say("नमस्ते, मेरे पास arctica का फ्रिज है"))
    remedies = chat.say(f"सीरियल नंबर {serial}")
    assert_hi(remedies)
    assert "पूरी कीमत का रिफंड" in remedies, remedies

    confirm = chat.say("मुझे पैसे वापस चाहिए, refund कर दो")
    assert_hi(confirm)
    assert "रिफंड" in confirm and "हाँ (YES)" in confirm, confirm
    assert stored(dialogue, phone)["requests"] == []  # nothing before the YES

    address = chat.say("हां ठीक है")  # the pickup's address next (none on file for a stranger)
    assert_hi(address)
    assert "पूरा पता" in address, address
    times = chat.say("H.no 221, gali no 4, laxmi nagar delhi 110092")
    assert_hi(times, "H.no 221, gali no 4, laxmi nagar delhi 110092")
    assert "1." in times, times
    recorded = chat.say("पहला वाला")
    assert_hi(recorded, "H.no 221, gali no 4, laxmi nagar delhi 110092")
    assert REFERENCE.search(recorded) and "रिफंड" in recorded, recorded
    after = stored(dialogue, phone)
    assert [(kind, s) for kind, _, s in after["requests"]] == [("refund", serial)]
    assert after["language"] == "hi" and after["escalations"] == []


def test_hinglish_refund_requested_and_confirmed(dialogue):
    phone, serial = "+919800012002", "AR26D204602"
    chat = dialogue.chat(phone)
    assert_hinglish(chat.say("hii maine arctica ka fridge liya tha, kya karna hai"))
    remedies = chat.say(f"ye raha serial {serial}")
    assert_hinglish(remedies)
    assert "Poori keemat ka refund" in remedies, remedies

    confirm = chat.say("mujhe paisa wapas chahiye")
    assert_hinglish(confirm)
    assert "refund" in confirm.lower() and "YES" in confirm, confirm
    assert stored(dialogue, phone)["requests"] == []

    address = chat.say("haan kar do")  # the pickup's address next (none on file for a stranger)
    assert_hinglish(address)
    assert "address" in address, address
    times = chat.say("flat 3b, 14 hazra road kolkata 700026")
    assert_hinglish(times)
    assert "1." in times, times
    recorded = chat.say("do")  # "two": the second time
    assert_hinglish(recorded)
    assert REFERENCE.search(recorded), recorded
    after = stored(dialogue, phone)
    assert [(kind, s) for kind, _, s in after["requests"]] == [("refund", serial)]
    assert after["language"] == HINGLISH and after["escalations"] == []


# --- (3) a complaint handed to a person; the bot then stays silent ---------------------------


def test_hindi_complaint_handed_to_a_person(dialogue):
    phone, serial = "+919800012003", "AR26D204603"
    chat = dialogue.chat(phone)
    chat.say("नमस्ते")
    assert_hi(chat.say(f"{serial} ये मेरा नंबर है"))

    complaint = "बहुत घटिया सर्विस है, दो हफ्ते से फ्रिज खराब पड़ा है, मैं consumer court में शिकायत करूँगा"
    handed = chat.say(complaint)
    assert_hi(handed)
    assert "टीम" in handed, handed
    after = stored(dialogue, phone)
    assert [(reason, status) for reason, status, _ in after["escalations"]] == [("complain", "open")], after
    assert after["paused"] is True and after["bookings"] == []

    assert chat.say("हेलो?? कोई है") == ""  # for the agent: the bot says nothing


def test_hinglish_complaint_handed_to_a_person(dialogue):
    phone, serial = "+919800012004", "AR26D204604"
    chat = dialogue.chat(phone)
    chat.say("namaste")
    assert_hinglish(chat.say(f"mera serial {serial} hai"))

    handed = chat.say("bakwas company hai yaar, itna ghatiya fridge bech diya, consumer court jaunga main")
    assert_hinglish(handed)
    assert "team" in handed, handed
    after = stored(dialogue, phone)
    assert [(reason, status) for reason, status, _ in after["escalations"]] == [("complain", "open")], after
    assert after["paused"] is True and after["bookings"] == []

    assert chat.say("koi hai kya??") == ""


# --- (4) an opt-out in their words, like STOP ------------------------------------------------


def test_hindi_opt_out_in_words(dialogue):
    phone, serial = "+919800012005", "AR26D204605"
    chat = dialogue.chat(phone)
    assert_hi(chat.say("नमस्ते, ये किस बारे में है"))

    confirmation = chat.say("मैसेज बंद करो")
    assert_hi(confirmation)
    assert "START" in confirmation and "मैसेज बंद" in confirmation, confirmation
    after = stored(dialogue, phone)
    assert after["opt_out"] == ("phrase", None)
    assert dialogue.customer(phone)["opted_out"] is True

    assert chat.say(f"मेरा serial {serial} है") == ""  # opted out: the bot stays silent


def test_hinglish_opt_out_in_words(dialogue):
    phone, serial = "+919800012006", "AR26D204606"
    chat = dialogue.chat(phone)
    chat.say("hello")
    assert_hinglish(chat.say(f"serial hai {serial}, ab kya karna hai"))

    confirmation = chat.say("mujhe message mat bhejo")
    assert_hinglish(confirmation)
    assert "START" in confirmation and "band" in confirmation, confirmation
    after = stored(dialogue, phone)
    assert after["opt_out"] == ("phrase", None)
    assert dialogue.customer(phone)["opted_out"] is True

    assert chat.say("1") == ""


# --- a switch of language mid-conversation -------------------------------------------------


def test_hinglish_then_hindi_in_the_middle_of_the_form(dialogue):
    """A stranger writes Hinglish; at the address question she writes "hindi me baat karo": the
    question comes again in Devanagari, and so does everything after it."""
    phone, serial = "+919800012007", "AR26D204607"
    chat = dialogue.chat(phone)
    chat.say("namaste, mera fridge thik se thanda nahi kar raha")
    assert_hinglish(chat.say(serial))
    asked = chat.say("repair karwa do")
    assert_hinglish(asked)
    assert "address" in asked, asked

    again = chat.say("hindi me baat karo")
    assert_hi(again)
    assert "पूरा पता" in again, again  # the address question again, in Hindi
    assert stored(dialogue, phone)["language"] == "hi"

    times = chat.say("flat 12, pocket 3, sector 5 dwarka new delhi 110075")
    assert_hi(times, "flat 12, pocket 3, sector 5 dwarka new delhi 110075")
    assert "1." in times, times
    booked = chat.say("पहला")
    assert_hi(booked, "flat 12, pocket 3, sector 5 dwarka new delhi 110075")
    assert REFERENCE.search(booked), booked
    assert [kind for kind, _ in stored(dialogue, phone)["bookings"]] == ["repair"]


def test_hinglish_then_english_in_the_middle_of_the_form(dialogue):
    """A stranger writes Hinglish, then "English please" when the remedies are offered: the
    question comes again in English, and so does everything after it."""
    phone, serial = "+919800012008", "AR26D204608"
    chat = dialogue.chat(phone)
    chat.say("hello, recall wala msg mila mujhe")
    remedies = chat.say(f"mera serial {serial} hai")
    assert_hinglish(remedies)
    assert "Ghar par free repair" in remedies, remedies

    again = chat.say("English please")
    assert "Free repair at your home" in again and "Which would you like?" in again, again
    assert "Ghar par" not in again
    assert stored(dialogue, phone)["language"] == "en"

    address = chat.say("1")
    assert "full address" in address, address
    times = chat.say("House 45, Park Circus, Kolkata 700017")
    assert "a technician can visit" in times, times
    booked = chat.say("first one")
    assert REFERENCE.search(booked) and "The repair takes about 90 minutes" in booked, booked
    assert [kind for kind, _ in stored(dialogue, phone)["bookings"]] == ["repair"]
