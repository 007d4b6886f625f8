"""The handoff signals read from a message's text (rasa_components.signals), and the
decision the Rasa component takes from them beside the classifier's intent."""

import pytest

from rasa_components.signals import escalation_intent, has_emphasis, is_shouting, read_signals


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
        ("thanks a lot", "thank", 0.9, None),
        # the classifier already escalates: nothing to change
        ("worst service", "complain", 0.8, None),
    ],
)
def test_escalation_intent(text, intent, confidence, escalate_as):
    assert escalation_intent(intent, confidence, read_signals(text)) == escalate_as


def test_the_reasons_name_what_was_seen():
    reasons = read_signals("YOU ARE USELESS!!!").reasons()
    assert reasons[:3] == ["insult", "shouting", "!!!"] and reasons[-1].startswith("sentiment -")
