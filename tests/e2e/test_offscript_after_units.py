"""Several units per customer, off the script: written after the implementation, by a
tester working from docs/conversation.md ("Several units per customer"), docs/dashboard.md
and docs/remedies.md alone. Customers write the way they do on SMS: lower case, both
serials in one message, "the other one is …", a question or a change of mind mid-step.

Priya Sharma (+919812300003) is the demo buyer with two units on file; the others are
numbers on no buyer list, who become customers of the recall and register serials in its
affected range (AR26C000001–AR26G999999)."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

SLUG = "arctica-ff260-valve-2026"
REFERENCE = re.compile(r"\b(RP|PU|RL|RF)-[A-Z2-9]{6}\b")


def references(reply: str) -> list[str]:
    return [m.group(0) for m in REFERENCE.finditer(reply)]


def reference_in(reply: str, prefix: str) -> str:
    found = [r for r in references(reply) if r.startswith(prefix)]
    assert found, f"no {prefix} reference in: {reply}"
    return found[0]


def status(dialogue) -> dict:
    return json.loads(dialogue.recall("status", "--campaign", SLUG, "--json"))


def units_by_serial(dialogue, phone: str) -> dict[str, dict]:
    return {unit["serial"]: unit for unit in dialogue.customer(phone)["units"]}


def test_both_fridges_on_one_visit_with_a_question_in_between(dialogue):
    """Priya sends both serials in one message with "&", takes the repair for the first,
    asks whether someone must be home while the second unit's remedy is asked, then takes
    the repair for it too: one visit, twice as long."""
    before = status(dialogue)
    chat = dialogue.chat("+919812300003")
    first = chat.say("hi i have 2 fridges from u, got the recall msg")
    assert "serial" in first.lower()
    assert "won't contact" not in first.lower(), "an owner of two units is never a wrong person"
    both = chat.say("ar26d004513 & ar26d004514")
    assert "AR26D004513" in both and "AR26D004514" in both and "affected" in both
    assert "1. Free repair at your home" in both
    assert "Koregaon Park" in chat.say("1 repair")  # the address on file, to confirm
    times = chat.say("yes thats right")
    assert "1. " in times and "2. " in times
    booked = chat.say("1")
    visit = reference_in(booked, "RP-")
    assert "90 minutes" in booked, "one unit so far: one unit's length"
    second = booked if "AR26D004514" in booked else chat.say("ok")
    assert "AR26D004514" in second and "1. " in second, "the second unit's remedy is asked, naming it"
    home = chat.say("does somebody need to be home for the technician?")
    assert "home" in home.lower() and "1. " in home, "answered, then the remedy asked again"
    joined = chat.say("1")
    assert "AR26D004514" in joined and visit in joined and "same visit" in joined
    assert "180 minutes" in joined

    units = units_by_serial(dialogue, "+919812300003")
    assert set(units) == {"AR26D004513", "AR26D004514"}
    for unit in units.values():
        assert unit["verified_at"] is not None and unit["remedy"] == "repair"
        assert unit["booking"]["reference"] == visit and unit["booking"]["status"] == "booked"
        assert unit["request"] is None and unit["completed_at"] is None
    view = dialogue.customer("+919812300003")
    assert view["booking"]["reference"] == visit and view["remedy"] == "repair"

    after = status(dialogue)
    assert after["units_verified"] - before["units_verified"] == 2, "units verified counts units"
    assert after["units_remedy"] - before["units_remedy"] == 2, "remedy arranged counts units"
    assert after["verified"] - before["verified"] == 1, "the customers' own stage counts her once"
    assert after["affected"] == before["affected"], "both units were on the file already"


def test_one_repaired_the_other_refunded_with_a_change_of_mind_for_the_second(dialogue):
    """A new customer sends two serials on two lines, books a repair for the first, asks a
    replacement for the second, then changes her mind for that unit only (a refund) while
    the pickup time is asked. The repair visit stays as it is."""
    phone = "+919800000101"
    chat = dialogue.chat(phone)
    assert "serial" in chat.say("hello got ur sms abt fridge recall").lower()
    both = chat.say("AR26E610001\nAR26E610002")
    assert "AR26E610001" in both and "AR26E610002" in both and "affected" in both
    address = chat.say("repair")
    assert "address" in address.lower()
    times = chat.say("house 14, lane 3, baner road, pune 411045")
    assert "1. " in times
    booked = chat.say("2")
    visit = reference_in(booked, "RP-")
    second = booked if "AR26E610002" in booked else chat.say("ok")
    assert "AR26E610002" in second and "1. " in second
    confirm = chat.say("replacment for this one")
    assert "replacement" in confirm.lower() and "YES" in confirm
    pickup_times = chat.say("yes")
    assert "1. " in pickup_times, "the address typed earlier counts as confirmed: pickup times next"
    switched = chat.say("wait actually can i get refund instead of new one for this fridge")
    assert "refund" in switched.lower() and "YES" in switched
    again = chat.say("yes")
    assert "1. " in again, "the pickup times are offered again"
    done = chat.say("1")
    refund = reference_in(done, "RF-")

    units = units_by_serial(dialogue, phone)
    assert set(units) == {"AR26E610001", "AR26E610002"}
    repaired, refunded = units["AR26E610001"], units["AR26E610002"]
    assert repaired["verified_at"] and refunded["verified_at"]
    assert repaired["affected"] is True and refunded["affected"] is True
    assert repaired["remedy"] == "repair" and repaired["request"] is None
    assert repaired["booking"]["reference"] == visit and repaired["booking"]["status"] == "booked"
    assert refunded["remedy"] == "refund"
    assert refunded["request"]["reference"] == refund
    assert refunded["booking"] is not None and refunded["booking"]["reference"].startswith("PU-")
    assert refunded["booking"]["reference"] != visit


def test_the_second_serial_comes_later_and_joins_the_booked_visit(dialogue):
    """ "got 2 fridges" first, one serial, a booking; the bot asks for the second serial;
    a later message "the other one is AR26…" verifies it and it joins the same visit."""
    phone = "+919800000102"
    chat = dialogue.chat(phone)
    first = chat.say("hi got 2 fridges from arctica, is this about the valve thing")
    assert "serial" in first.lower() and "won't contact" not in first.lower()
    assert "affected" in chat.say("ar26f620001")
    assert "address" in chat.say("1").lower()
    times = chat.say("flat 9b, 2nd floor, sai residency, wakad pune 411057")
    assert "1. " in times
    booked = chat.say("1")
    visit = reference_in(booked, "RP-")
    assert "second refrigerator" in booked, "asked for the second unit's serial after the booking"
    units = units_by_serial(dialogue, phone)
    assert list(units) == ["AR26F620001"] and units["AR26F620001"]["booking"]["reference"] == visit

    later = chat.say("the other one is AR26F620002")
    assert "AR26F620002" in later and "1. " in later, "verified, its remedy asked naming it"
    joined = chat.say("repair for this one too pls")
    assert "same visit" in joined and visit in joined and "180 minutes" in joined
    assert not [r for r in references(joined) if r.startswith("RP-") and r != visit], "no second visit"

    units = units_by_serial(dialogue, phone)
    assert set(units) == {"AR26F620001", "AR26F620002"}
    for unit in units.values():
        assert unit["verified_at"] and unit["affected"] is True and unit["remedy"] == "repair"
        assert unit["booking"]["reference"] == visit


def test_two_serials_one_not_affected(dialogue):
    """Both serials in one sentence with a comma; one is outside the affected range. The bot
    says which is which, goes on with the affected one, and does not ask for a serial it
    already has."""
    before = status(dialogue)
    phone = "+919800000103"
    chat = dialogue.chat(phone)
    chat.say("hi")
    both = chat.say("i have 2 fridges, serials are AR26D630001, AR26H000777")
    assert "AR26D630001" in both and "AR26H000777" in both
    assert "not affected" in both and "1. Free repair at your home" in both
    assert "address" in chat.say("free repair pls").lower()
    assert "1. " in chat.say("22 shanti kunj, kothrud, pune 411038")
    booked = chat.say("3")
    visit = reference_in(booked, "RP-")
    assert "second refrigerator too" not in booked, "both serials were sent already"
    assert "180 minutes" not in booked, "the unaffected unit is not on the visit"

    units = units_by_serial(dialogue, phone)
    assert set(units) == {"AR26D630001", "AR26H000777"}
    fine, fixed = units["AR26H000777"], units["AR26D630001"]
    assert fine["affected"] is False and fine["verified_at"] is not None
    assert fine["remedy"] is None and fine["booking"] is None and fine["request"] is None
    assert fixed["affected"] is True and fixed["remedy"] == "repair"
    assert fixed["booking"]["reference"] == visit

    after = status(dialogue)
    assert after["affected"] - before["affected"] == 1, "the registered affected unit joins the denominator"
    assert after["units_verified"] - before["units_verified"] == 1, "only affected units are in the funnel"
    assert after["units_remedy"] - before["units_remedy"] == 1


def test_the_same_serial_twice(dialogue):
    """Meera (one unit on file) types her serial twice in one message in two shapes, asks
    how long the repair takes at the time step, books, then sends the serial again."""
    phone = "+919812300005"
    chat = dialogue.chat(phone)
    chat.say("hii")
    reply = chat.say("AR26-E-120034 and ar26e120034")
    assert "AR26E120034" in reply and "affected" in reply and "1. " in reply
    assert "Baner Road" in chat.say("1")
    times = chat.say("yes")
    assert "1. " in times
    long = chat.say("how long will the repair take")
    assert "90 minutes" in long and "1. " in long, "answered, then the times again"
    booked = chat.say("1")
    visit = reference_in(booked, "RP-")
    assert "90 minutes" in booked
    assert "second refrigerator" not in booked, "one unit, sent twice, is one unit"
    again = chat.say("did u get my serial? AR26E120034")
    assert "already sent" in again and "AR26E120034" in again and visit in again

    units = dialogue.customer(phone)["units"]
    assert [unit["serial"] for unit in units] == ["AR26E120034"]
    assert units[0]["verified_at"] and units[0]["remedy"] == "repair"
    assert units[0]["booking"]["reference"] == visit and units[0]["booking"]["status"] == "booked"


def test_two_fridges_but_one_was_sold(dialogue):
    """Two serials, then at the remedy step "the 2nd one … i sold": asked first, naming the
    unit; YES records it as sold; the other unit is repaired."""
    before = status(dialogue)
    phone = "+919800000105"
    chat = dialogue.chat(phone)
    chat.say("hello")
    both = chat.say("AR26G640001, AR26G640002")
    assert "AR26G640001" in both and "AR26G640002" in both and "affected" in both
    asked = chat.say("the 2nd one AR26G640002 i sold to my neighbour last month")
    assert "AR26G640002" in asked and "sold" in asked.lower() and "YES" in asked
    assert units_by_serial(dialogue, phone)["AR26G640002"]["disposition"] is None, "nothing before the YES"
    recorded = chat.say("yes")
    assert "pass this recall notice" in recorded
    address = chat.say("ok. repair for the one i still have pls")
    assert "address" in address.lower()
    assert "1. " in chat.say("12 ganesh nagar, hadapsar, pune 411028")
    booked = chat.say("1")
    visit = reference_in(booked, "RP-")
    assert "180 minutes" not in booked

    units = units_by_serial(dialogue, phone)
    sold, kept = units["AR26G640002"], units["AR26G640001"]
    assert sold["disposition"] == "sold" and sold["disposition_at"] is not None
    assert sold["remedy"] is None and sold["booking"] is None
    assert kept["disposition"] is None and kept["remedy"] == "repair"
    assert kept["booking"]["reference"] == visit

    after = status(dialogue)
    assert after["units_sold"] - before["units_sold"] == 1
    assert after["units_out_of_reach"] - before["units_out_of_reach"] == 1
    assert after["units_remedy"] - before["units_remedy"] == 1
