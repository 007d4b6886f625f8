"""Twilio's own SMS opt-out: STOP-like keywords block sending (21610), START-like ones lift it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.twilio_sim import SimHandle
from bot.twilio_sim.optout import REPLIES, keyword_of
from tests.twilio_sim.support import (
    CUSTOMER,
    SMS_FROM,
    WHATSAPP_FROM,
    Receiver,
    wait_until,
)


def send_sms(client: Client) -> str:
    return client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="Your booking is confirmed").sid


@pytest.mark.parametrize(
    "word", ["STOP", "stop", " Stop. ", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
)
def test_opt_out_keywords_block_sending(sim: SimHandle, client: Client, word: str) -> None:
    sim.send(CUSTOMER, word)
    with pytest.raises(TwilioRestException) as info:
        send_sms(client)
    assert (info.value.status, info.value.code) == (400, 21610)


@pytest.mark.parametrize("word", ["START", "unstop", "Yes"])
def test_opt_in_keywords_lift_the_block(sim: SimHandle, client: Client, word: str) -> None:
    sim.send(CUSTOMER, "STOP")
    sim.send(CUSTOMER, word)
    send_sms(client)


def test_stop_is_still_forwarded_and_twilio_confirms(sim: SimHandle, receiver: Receiver) -> None:
    sim.send(CUSTOMER, "STOP")
    assert receiver.wait_for("/twilio/inbound")[0].form["Body"] == "STOP"
    replies = [m for m in sim.messages() if m["direction"] == "outbound-reply"]
    assert [(r["from"], r["to"], r["body"]) for r in replies] == [(SMS_FROM, CUSTOMER, REPLIES["stop"])]


def test_sentences_are_not_keywords(sim: SimHandle, client: Client) -> None:
    sim.send(CUSTOMER, "please stop calling my wife")
    send_sms(client)
    assert keyword_of("stop it") is None and keyword_of("help") == "help"


def test_whatsapp_stop_does_not_opt_out_of_sms(sim: SimHandle, client: Client) -> None:
    sim.send(CUSTOMER, "STOP", channel="whatsapp")
    send_sms(client)
    client.messages.create(to="whatsapp:" + CUSTOMER, from_=WHATSAPP_FROM, body="still within the window")


def test_twiml_reply_to_an_opted_out_number_fails_21610(sim: SimHandle, receiver: Receiver) -> None:
    receiver.reply(
        "/twilio/inbound",
        body="<Response><Message>Sorry to see you go</Message></Response>",
        content_type="application/xml",
    )
    sim.send(CUSTOMER, "STOP")
    blocked = wait_until(lambda: [m for m in sim.messages() if m["body"] == "Sorry to see you go"])[0]
    assert (blocked["status"], blocked["error_code"]) == ("failed", 21610)


def test_auto_replies_can_be_turned_off(make_sim: Callable[..., SimHandle]) -> None:
    sim = make_sim(auto_replies=False)
    sim.send(CUSTOMER, "STOP")
    assert [m["direction"] for m in sim.messages()] == ["inbound"]
