"""Whether a reply to the address question is plausibly an address, what it is instead, and
postcodes per country (bot/domain/addresses.py, bot/domain/free_text.py)."""

import pytest

from bot.domain.addresses import is_plausible_address, plausible_postcode
from bot.domain.free_text import OffScript, is_bare_answer, off_script, remedy_named

ADDRESS = None  # off_script(...) of a plausible address

ROWS = [
    # real Indian addresses, as customers type them
    ("Flat 4B, Shanti Apts, Baner Road, Pune 411045", "IN", True, ADDRESS),
    ("12 mg road", "IN", True, ADDRESS),
    ("h.no 5-3-12 ameerpet", "IN", True, ADDRESS),
    ("H.No. 8-2-293/82, Road No 14, Banjara Hills, Hyderabad 500034", "IN", True, ADDRESS),
    ("plot 9 jubilee hills hyd", "IN", True, ADDRESS),
    ("B-204, Lodha Amara, Kolshet Road, Thane West 400607", "IN", True, ADDRESS),
    ("8 Jayanagar 4th Block, Bengaluru 560011", "IN", True, ADDRESS),
    ("House 12, Sector 17, Chandigarh", "IN", True, ADDRESS),
    ("flat no 302 koregaon park pune", "IN", True, ADDRESS),
    ("221 B MG road bangalore 560001", "IN", True, ADDRESS),
    ("Shop 3, Kalyani Nagar, Pune 411006", "IN", True, ADDRESS),
    ("opp sbi bank, 14 station road, nashik 422001", "IN", True, ADDRESS),
    ("C/O Ramesh Pawar, 3 Pimpri, Pune", "IN", True, ADDRESS),
    ("Wing B 1102 Hiranandani Powai Mumbai 400076", "IN", True, ADDRESS),
    ("Wing B, Hiranandani, Powai, Mumbai", "IN", True, ADDRESS),
    ("block c rohini new delhi", "IN", True, ADDRESS),
    ("1420 Elm St Apt 3, Austin TX 78701", "US", True, ADDRESS),
    ("10 Downing St, London SW1A 2AA", "GB", True, ADDRESS),
    ("Hauptstr. 5, 10115 Berlin", "DE", True, ADDRESS),
    # time words inside a real address
    ("Flat 3, Morning Star Apartments, Baner Road, Pune 411045", "IN", True, ADDRESS),
    ("12 Sunday Market Lane, Kolkata 700001", "IN", True, ADDRESS),
    # not an address: a remedy change
    ("actually I want a replacement instead", "IN", False, OffScript.REMEDY_CHANGE),
    ("can i get a refund instead", "IN", False, OffScript.REMEDY_CHANGE),
    ("no just give me my money back", "IN", False, OffScript.REMEDY_CHANGE),
    ("i prefer the repair instead", "IN", False, OffScript.REMEDY_CHANGE),
    ("send a new one pls", "IN", False, OffScript.REMEDY_CHANGE),
    # a time request
    ("can the technician come on sunday instead?", "IN", False, OffScript.TIME_REQUEST),
    ("tomorrow evening", "IN", False, OffScript.TIME_REQUEST),
    ("I am travelling until the 20th", "IN", False, OffScript.TIME_REQUEST),
    ("after the 20th pls", "IN", False, OffScript.TIME_REQUEST),
    ("only saturday works for me", "IN", False, OffScript.TIME_REQUEST),
    ("not this week", "IN", False, OffScript.TIME_REQUEST),
    ("come at 6 pm", "IN", False, OffScript.TIME_REQUEST),
    # a question
    ("what do you need the address for?", "IN", False, OffScript.QUESTION),
    ("how long will the visit take", "IN", False, OffScript.QUESTION),
    ("is this free", "IN", False, OffScript.QUESTION),
    ("will you charge anything?", "IN", False, OffScript.QUESTION),
    # bare yes / no / ok / thanks
    ("yes", "IN", False, OffScript.BARE_ANSWER),
    ("ok thanks", "IN", False, OffScript.BARE_ANSWER),
    ("No.", "IN", False, OffScript.BARE_ANSWER),
    ("haan ji", "IN", False, OffScript.BARE_ANSWER),
    # an opt-out, a person
    ("stop texting me", "IN", False, OffScript.OPT_OUT),
    ("let me talk to a real person", "IN", False, OffScript.PERSON_REQUEST),
    ("i want to speak to someone", "IN", False, OffScript.PERSON_REQUEST),
    # something else: words without a number, a number without words
    ("Koregaon Park, Pune", "IN", False, ADDRESS),
    ("Navrangpura, Ahmedabad", "IN", False, ADDRESS),
    ("same as before", "IN", False, ADDRESS),
    ("411045", "IN", False, ADDRESS),
    ("4B", "IN", False, ADDRESS),
    ("i want a new address", "IN", False, OffScript.WANT),
]


@pytest.mark.parametrize(("text", "country", "plausible", "kind"), ROWS)
def test_plausible_address(text, country, plausible, kind):
    assert is_plausible_address(text, country) is plausible
    assert off_script(text) == kind


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("411045", "IN", True),
        ("411 045", "IN", True),
        ("011045", "IN", False),
        ("41104", "IN", False),
        ("4110455", "IN", False),
        ("४११०४५", "IN", True),  # Devanagari digits (issue 17)
        ("४११ ०४५", "IN", True),
        ("78701", "US", True),
        ("78701-1234", "US", True),
        ("7870", "US", False),
        ("SW1A 2AA", "GB", True),
        ("ls1 4ap", "GB", True),
        ("M1 1AE", "GB", True),
        ("SW1A", "GB", False),
        ("10115", "DE", True),
        ("1010 AB", "NL", True),
        ("AB", "NL", False),
        ("tomorrow", "FR", False),
    ],
)
def test_plausible_postcode(text, country, expected):
    assert plausible_postcode(text, country) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actually I want a replacement instead", "replacement"),
        ("refund pls", "refund"),
        ("just fix it at home", "repair"),
        ("12 mg road", None),
        ("wait actually can i get refund instead of new one?", "refund"),
        ("instead of repair i want a new fridge", "replacement"),
        ("a replacement rather than a refund", "replacement"),
        ("not a refund, a repair", "repair"),
    ],
)
def test_remedy_named(text, expected):
    assert remedy_named(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("yes", True), ("Ok, thank you!", True), ("yes the fan was noisy", False), ("", False)]
)
def test_bare_answer(text, expected):
    assert is_bare_answer(text) is expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("is the repair free?", OffScript.QUESTION),
        ("how long does a refund take", OffScript.QUESTION),
        ("can i get a replacement?", OffScript.REMEDY_CHANGE),
        ("could we have a refund instead", OffScript.REMEDY_CHANGE),
        ("12 Repair Lane, Pune 411045", None),
    ],
)
def test_a_question_about_a_remedy_is_not_a_change(text, kind):
    assert off_script(text) == kind
