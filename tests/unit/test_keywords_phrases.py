"""Opt-out in the customer's own words (bot/domain/opt_out_phrases.py) and how a turn
with one is planned: exactly like STOP, on every path."""

import pytest

from bot.domain.keywords import classify_keyword
from bot.domain.opt_out_phrases import is_opt_out_phrase
from bot.gateway.turns import TurnKind, answered_by_twilio, opt_out_source, plan_turn

OPT_OUT = [
    # the requests the issue lists
    "stop texting me",
    "stop texting me please",
    "stop messaging me pls",
    "don't message me",
    "dont text me again",
    "do not contact me",
    "unsubscribe me",
    "remove my number",
    "take me off your list",
    "leave me alone",
    "no more messages",
    "stop sending me these",
    "i dont want these messages",
    # case, punctuation, typos, stretched letters
    "STOP TEXTING ME!!!",
    "Stop txting me.",
    "stpo messaging me",
    "pls stop msging me",
    "stop textting me",
    "pleeease stop",
    "stooop it",
    "Don’t text me anymore",
    "do'nt msg me",
    "unsubcribe",
    "unsubscibe me plz",
    "please remove my numbr from your list",
    "take me off ur list",
    "leave me alon!!",
    "no more msgs",
    # other wording of the same request
    "please stop",
    "STOP STOP",
    "stop all",
    "can you stop texting me",
    "when will you stop messaging me",
    "quit texting me",
    "stop sending",
    "stop sending messages to this number",
    "stop the messages",
    "stop these texts please",
    "enough with the texts",
    "i do not wish to be contacted",
    "i dont want to receive any more messages",
    "I don't want to hear from you",
    "opt me out",
    "i want to opt out",
    "how do i unsubscribe",
    "i already unsubscribed, why are you still texting",
    "delete my number",
    "never text me again",
    "cancel my subscription",
    "wrong number. stop texting me",
    "I don't want a replacement, just stop messaging me",
    "stop calling me",
    "Not interested. Leave me alone",
    "if you dont stop texting me i will report you",
    "if you keep messaging me I'll block you",
    "stop spamming me",
    "no more reminders",
    "AR26D004512 is mine but stop texting me",
    "Wrong number, stop",
    "i said stop",
    "Do Not Text",
    "leave me be",
    "could you please take my number off your database",
    "no further contact please",
    "Please do not disturb",
    "you never listen stop texting me",
    "stop texting me after what happened",
    "dont contact me until further notice",
]

NOT_OPT_OUT = [
    # other senses of the same words
    "the fridge stopped working",
    "my fridge won't stop making noise",
    "can you stop the booking",
    "cancel my booking",
    "cancel booking",
    "how do I stop the water leak",
    "it stops cooling at night",
    "stop the technician from coming tomorrow",
    "can you take me through the steps",
    "remove the old address",
    # time and channel preferences
    "don't message me before 10am",
    "dont text me after 9 pm",
    "please don't message me at night",
    "dont text me until next week",
    "stop texting me on weekends",
    "don't message me on whatsapp",
    "don't text me, call me instead",
    "dont call me",
    # negations, questions about the past, hypotheses, conditions
    "please don't stop texting me",
    "dont stop messaging me, I need the repair",
    "why did you stop texting me?",
    "did you remove my number?",
    "have i been unsubscribed?",
    "i am not going to unsubscribe",
    "dont leave me alone with this broken fridge",
    "what happens if I unsubscribe?",
    "can i unsubscribe later?",
    "is this a scam? remove my number if so",
    "if you dont text me back i will call the shop",
    "you never text me back",
    "Stop, I meant the other fridge",
    "you stopped texting me",
    "can i stop the repair?",
    "stop texting me so early",
    "dont text me till monday",
    "stop connecting me to a bot",
    # ordinary messages
    "hi, I have two of your fridges",
    "yes",
    "AR26D004512",
    "I want the repair",
    "i dont want the repair",
    "not interested",
    "no more questions, book it",
    "help",
    "",
    "   ",
    None,
]


@pytest.mark.parametrize("body", OPT_OUT)
def test_a_request_to_stop_being_contacted_opts_out(body):
    assert is_opt_out_phrase(body) or classify_keyword(body) is not None, body


@pytest.mark.parametrize("body", NOT_OPT_OUT)
def test_the_same_words_in_another_sense_do_not(body):
    assert not is_opt_out_phrase(body), body


def test_the_table_has_both_directions():
    assert len(OPT_OUT) + len(NOT_OPT_OUT) >= 40 and len(NOT_OPT_OUT) >= 20


# Issue 17: Hindi in Latin letters (Hinglish) and in Devanagari, as typed on a phone.
HINGLISH_OPT_OUT = [
    "mujhe message mat karo",
    "message band karo",
    "msg mat bhejo",
    "mujhe pareshan mat karo",
    "mera number hata do",
    "ab message mat bhejna",
    "Mujhe Message Mat Karo!!",
    "msg band kro",
    "plz msg mat bhejo",
    "msg mt kro",
    "bhai message mat kar",
    "message na bhejo",
    "dobara message mat karna",
    "kabhi message mat bhejna",
    "mere number pe message mat bhejo",
    "message bhejna band karo",
    "messages band kar do please",
    "stop karo ye messages",
    "band karo ye msg",
    "ab bas karo yaar",
    "band karo",
    "ab stop karo",
    "ye sab band karo",
    "mujhe koi message nahi chahiye",
    "mera number list se hata do",
    "list se hata do mujhe",
    "mera number delete karo",
    "mujhe tang mat karo",
    "mujhse contact mat karo",
    "whatsapp mat karo",
    "sms mat bhejo",
    "galat number hai, message mat karo",
    "repair nahi chahiye, msg mat bhejo",
    "message band kardo warna complaint karunga",
    "stop ji",
    "please stop yaar",
]
HINGLISH_NOT_OPT_OUT = [
    "fridge band ho gaya",
    "booking cancel karo",
    "pani band nahi ho raha",
    "door band nahi ho raha",
    "fridge band karo",
    "light band karo",
    "compressor band ho jata hai",
    "band ho gaya fridge",
    "cooling band hai",
    "service band ho gayi kya?",
    # a negation
    "message band mat karo",
    "message mat band karo, repair chahiye",
    "mera number mat hatao",
    "message bhejte raho",
    # a time or channel preference
    "subah 10 baje se pehle message mat karo",
    "raat ko message mat karo",
    "sunday ko message mat karna",
    "abhi message mat karo, meeting me hoon",
    "kal message karna",
    "message mat karo, call karo",
    "sirf whatsapp pe message karo",
    "message ki jagah call karo",
    "call mat karo",
    # a condition, a question about the past
    "agar fraud hai to mera number hata do",
    "kya mera number hata diya?",
    "kya hoga agar message band kar du?",
    "kya aap message band kar sakte ho agar main repair na lu?",
    # ordinary messages
    "message kyu nahi aaya?",
    "mujhe message nahi aaya",
    "technician ka number bhejo",
    "mera number 9876543210 hai",
    "number change ho gaya hai",
    "mera naya number likh lo",
    "repair karwa do",
    "haan",
    "dhanyavaad",
]
HINDI_OPT_OUT = [
    "मुझे मैसेज मत भेजो",
    "मैसेज बंद करो",
    "मेरा नंबर हटा दो",
    "परेशान मत करो",
    "मुझे परेशान मत करो",
    "मुझे तंग मत करो",
    "परेशान मत कीजिए",
    "मैसेज मत करो।",
    "अब मैसेज मत भेजना",
    "कृपया मैसेज बंद करें",
    "ये मैसेज बंद करो",
    "मैसेज भेजना बंद करो",
    "मुझे मैसेज नहीं चाहिए",
    "मेरा नंबर लिस्ट से हटा दो",
    "नंबर हटा दीजिए",
    "मुझसे संपर्क मत करो",
    "बंद करो",
    "message मत भेजो",
    "मैसेज mat bhejo",
    "ग़लत नंबर है, मैसेज मत भेजो",
    "stop कृपया",
    "STOP प्लीज",
    "स्टॉप",
]
HINDI_NOT_OPT_OUT = [
    "फ्रिज बंद हो गया",
    "बुकिंग कैंसल करो",
    "पानी बंद नहीं हो रहा",
    "दरवाज़ा बंद नहीं हो रहा",
    "मैसेज बंद मत करो",
    "सुबह 10 बजे से पहले मैसेज मत करो",
    "शाम के बाद मैसेज मत करो",
    "सिर्फ व्हाट्सएप पर मैसेज करो",
    "मैसेज की जगह कॉल करें",
    "कॉल मत करो",
    "अगर ये फ्रॉड है तो मेरा नंबर हटा दो",
    "क्या मेरा नंबर हटा दिया?",
    "मैसेज मिल गया",
    "फ्रिज से पानी निकल रहा है",
    "मेरा फ्रिज ठंडा नहीं कर रहा",
    "मेरा नंबर 9876543210 है",
    "हां",
]


@pytest.mark.parametrize("body", HINGLISH_OPT_OUT + HINDI_OPT_OUT)
def test_a_hindi_request_to_stop_being_contacted_opts_out(body):
    assert is_opt_out_phrase(body), body


@pytest.mark.parametrize("body", HINGLISH_NOT_OPT_OUT + HINDI_NOT_OPT_OUT)
def test_the_same_hindi_words_in_another_sense_do_not(body):
    assert not is_opt_out_phrase(body), body


def test_the_hindi_tables_have_both_directions():
    assert len(HINGLISH_OPT_OUT) >= 30 and len(HINGLISH_NOT_OPT_OUT) >= 30
    assert len(HINDI_OPT_OUT) >= 15 and len(HINDI_NOT_OPT_OUT) >= 15


@pytest.mark.parametrize("body", ["mujhe message mat karo", "मैसेज बंद करो", "mera number hata do"])
def test_a_hindi_phrase_is_planned_exactly_like_stop(body):
    assert plan_turn(body, 0, opted_out=False) is TurnKind.OPT_OUT
    assert plan_turn(body, 0, opted_out=False, with_person=True) is TurnKind.OPT_OUT
    assert plan_turn(body, 0, opted_out=True) is TurnKind.SILENT
    assert opt_out_source(body) == "phrase"


@pytest.mark.parametrize("with_person", [False, True])
@pytest.mark.parametrize(
    ("body", "opted_out", "kind"),
    [
        ("stop texting me please", False, TurnKind.OPT_OUT),
        ("Unsubscribe me", False, TurnKind.OPT_OUT),
        ("take me off your list!!", False, TurnKind.OPT_OUT),
        ("stop texting me please", True, TurnKind.SILENT),  # already out: no second confirmation
        ("leave me alone", True, TurnKind.SILENT),
        ("START", True, TurnKind.OPT_IN),  # a phrase opt-out is undone like STOP's
    ],
)
def test_a_phrase_is_planned_exactly_like_stop(body, opted_out, kind, with_person):
    assert plan_turn(body, 0, opted_out=opted_out, with_person=with_person) is kind
    assert plan_turn("STOP" if kind is not TurnKind.OPT_IN else body, 0, opted_out=opted_out) is kind


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("don't message me before 10am", TurnKind.DIALOGUE),
        ("can you stop the booking", TurnKind.DIALOGUE),
        ("is this a scam? remove my number if so", TurnKind.DIALOGUE),
        ("the fridge stopped working", TurnKind.DIALOGUE),
    ],
)
def test_other_senses_go_to_the_dialogue(body, kind):
    assert plan_turn(body, 0, opted_out=False) is kind


@pytest.mark.parametrize(
    ("body", "by_twilio", "source"),
    [
        ("STOP", True, "keyword"),
        ("stop!", True, "keyword"),
        ("START", True, "keyword"),
        ("stop texting me", False, "phrase"),
        ("STOP STOP", False, "phrase"),  # Twilio's keyword is the whole message
        ("please stop", False, "phrase"),
    ],
)
def test_twilio_answers_only_its_exact_keywords(body, by_twilio, source):
    assert answered_by_twilio(body) is by_twilio
    assert opt_out_source(body) == source
