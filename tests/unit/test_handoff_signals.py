"""The handoff signals read from a message's text (rasa_components.signals), and the
decision the Rasa component takes from them beside the classifier's intent."""

import pytest

from rasa_components.signals import drops_escalation, escalation_intent, has_emphasis, is_shouting, read_signals


@pytest.mark.parametrize(
    ("text", "shouting"),
    [
        ("WHERE IS MY TECHNICIAN", True),
        ("I WANT A REFUND NOW!!!", True),
        ("AR26D004512", False),  # a serial is upper case by nature
        ("my serial is AR26D004512 and AR26D004513", False),
        ("OK", False),  # too short to be shouting
        ("OK THANKS", True),
        ("Hello, Is It Safe?", False),
        ("", False),
    ],
)
def test_is_shouting(text, shouting):
    assert is_shouting(text) is shouting


@pytest.mark.parametrize(
    ("text", "emphasis"),
    [
        ("what!!", True),
        ("hello???", True),
        ("why?!?", True),
        ("really?", False),
        ("ok!", False),
        ("", False),
    ],
)
def test_has_emphasis(text, emphasis):
    assert has_emphasis(text) is emphasis


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "escalate_as"),
    [
        # hazards win; a question about a risk is not a report of one
        ("there is smoke coming from the back", "ask_safety", 0.4, "report_hazard"),
        ("the plug melted", "greet", 0.5, "report_hazard"),
        ("the wire at the back is melting", "out_of_scope", 0.4, "report_hazard"),
        ("all the ice cream melted, fridge not cooling", "tell_problem", 0.6, None),  # the food, not a part
        ("my food melted and spoiled", "ask_compensation", 0.5, None),
        ("the ice cream melted and the plug melted too", "out_of_scope", 0.4, "report_hazard"),
        ("is it normal that it sparks when i plug it in?", "ask_safety", 0.9, "report_hazard"),
        ("could it catch fire?", "ask_safety", 0.9, None),
        ("is there any risk of shock", "ask_safety", 0.7, None),
        ("it gave me an electric shock", "out_of_scope", 0.3, "report_hazard"),
        ("sparks came out when i opened the door", "out_of_scope", 0.3, "report_hazard"),
        # explicit requests for a person
        ("pls connect me to a human", "out_of_scope", 0.4, "request_human"),
        ("can someone call me back", "ask_duration", 0.5, "request_human"),
        ("are you a bot?", "bot_challenge", 0.9, None),
        ("i dont want to chat with a bot", "bot_challenge", 0.7, "request_human"),
        # issue 16: "contact", "operator", helplines, "you're not helping"
        ("operator", "nlu_fallback", 0.3, "request_human"),
        ("operater pls", "choose_option", 0.5, "request_human"),
        ("you're not helping, how do I contact a human?", "out_of_scope", 0.5, "request_human"),
        ("u r not helpful", "bot_challenge", 0.6, "request_human"),
        ("how do i get in touch with ur support team", "wrong_person", 0.8, "request_human"),
        ("can someone from arctica contact me", "out_of_scope", 0.4, "request_human"),
        ("who should i call about this", "wrong_person", 0.4, "request_human"),
        ("whats the contact number of customer care", "ask_cost", 0.5, "request_human"),
        ("is there a toll free no", "ask_cost", 0.5, "request_human"),
        ("is there a number we can call", "ask_cost", 0.5, "request_human"),
        ("how do i escalate this", "nlu_fallback", 0.3, "request_human"),
        # ... but not a declined call, the technician's call, an opt-out, or one's own number
        ("dont call me, just text", "deny", 0.5, None),
        ("the technician can call me when he reaches", "out_of_scope", 0.5, None),
        ("stop texting me", "out_of_scope", 0.5, None),
        ("my contact number is the same", "inform_address", 0.5, None),
        ("i'll contact you once i'm home", "goodbye", 0.5, None),
        ("thanks, that was helpful", "thank", 0.9, None),
        ("no help needed, thanks", "thank", 0.9, None),
        # unhappiness
        ("you people are idiots", "out_of_scope", 0.5, "complain"),
        ("THIS IS TAKING FOREVER!!!", "ask_duration", 0.7, "complain"),
        ("this is useless!!!", "out_of_scope", 0.4, "complain"),
        ("i want to make a complaint about the technician", "choose_repair", 0.5, "complain"),
        ("this is a disgrace", "bot_challenge", 0.4, "complain"),
        ("no", "deny", 0.95, None),  # negative words are ordinary answers
        ("wrong", "deny", 0.8, None),
        ("no that's wrong, it is AR26D004512", "inform_serial", 0.9, None),
        ("is it safe?", "ask_safety", 0.9, None),
        # issue 16: a confident trust or goodwill question with negative words stays one
        ("who the hell are you", "ask_who_is_this", 0.8, None),
        ("who the hell are you", "ask_who_is_this", 0.4, "complain"),
        ("my food went bad, will you pay for it", "ask_compensation", 0.8, None),
        ("you idiots, who pays for my spoilt food", "ask_compensation", 0.8, "complain"),
        ("thanks a lot", "thank", 0.9, None),
        # the classifier already escalates: nothing to change
        ("worst service", "complain", 0.8, None),
        # ... unless it is unsure (the FallbackClassifier would drop it) and the signals agree
        ("worst service", "complain", 0.22, "complain"),
        ("lanat hai aisi company par, chor ho tum", "complain", 0.2, "complain"),
        ("can i talk to a real person", "request_human", 0.25, "request_human"),
        ("there is smoke coming out of it", "complain", 0.25, "report_hazard"),
        ("ok thanks", "complain", 0.25, None),  # no signal: the classifier's doubt stands
    ],
)
def test_escalation_intent(text, intent, confidence, escalate_as):
    assert escalation_intent(intent, confidence, read_signals(text)) == escalate_as


def test_the_reasons_name_what_was_seen():
    reasons = read_signals("YOU ARE USELESS!!!").reasons()
    assert reasons[:3] == ["insult", "shouting", "!!!"] and reasons[-1].startswith("sentiment -")


@pytest.mark.parametrize(
    ("text", "intent", "dropped"),
    [
        # the classifier's escalation stands unless the message is plainly not for a person
        ("dont call me, just text", "request_human", True),
        ("no need to call, sms is fine", "request_human", True),
        ("the technician can call me when he is near", "request_human", True),
        ("stop texting me please", "request_human", True),
        ("will reply later, at work", "complain", True),
        ("you've been very helpful", "complain", True),
        # ... and another signal keeps it: a person asked for, a hazard, frustration
        ("dont text me, call me", "request_human", False),
        ("stop texting me and get me a human", "request_human", False),
        ("stop texting me you idiots", "complain", False),
        ("dont call me, the plug is sparking", "request_human", False),
        ("not helpful at all", "complain", False),
        # other intents are left alone; ordinary escalations too
        ("dont call me, just text", "deny", False),
        ("call me", "request_human", False),
        ("worst service", "complain", False),
    ],
)
def test_drops_escalation(text, intent, dropped):
    assert drops_escalation(intent, read_signals(text)) is dropped
