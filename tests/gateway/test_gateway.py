"""Signatures, durable storage, exactly-once replies, one conversation per customer,
keywords, media and long replies — the gateway with stand-ins for Rasa and Twilio."""

import concurrent.futures

import pytest
from sqlalchemy import func, select, text

from bot.models import Channel, Conversation, Customer, Direction, Message, OptOut
from bot.twilio.errors import SendOutcome


def count(factory, *where):
    with factory() as s:
        return s.scalar(select(func.count(Message.id)).where(*where))


def test_forged_or_missing_signature_is_refused_and_nothing_is_stored(gateway):
    assert gateway.inbound("hi", signature="forged").status_code == 403
    assert gateway.inbound("hi", signature=None).status_code == 403
    assert count(gateway.factory) == 0 and gateway.rasa.turns == []


def test_signature_is_checked_against_the_public_url_not_the_host(gateway):
    from twilio.request_validator import RequestValidator

    params = {"MessageSid": "SM" + "9" * 32, "From": "+919812300001", "To": "+15005550006", "Body": "hi"}
    wrong = RequestValidator("test-auth-token").compute_signature("http://testserver/twilio/inbound", params)
    assert gateway.post("/twilio/inbound", params, signature=wrong).status_code == 403


def test_inbound_is_stored_acknowledged_with_empty_twiml_then_answered(gateway):
    response = gateway.inbound("hello there")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    assert response.text == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    gateway.settle()
    assert gateway.sender.sent == [{"to": "+919812300001", "channel": "sms", "body": "echo: hello there"}]
    with gateway.factory() as s:
        reply = s.scalar(select(Message).where(Message.direction == Direction.OUTBOUND))
        assert reply.twilio_sid and reply.segments == 1 and reply.encoding == "GSM-7" and reply.reply_to_id


def test_the_same_message_sid_twice_gets_one_reply(gateway):
    sid = "SM" + "a" * 32
    assert gateway.inbound("hello", sid=sid).status_code == 200
    assert gateway.inbound("hello", sid=sid).status_code == 200
    gateway.settle()
    assert count(gateway.factory, Message.direction == Direction.INBOUND) == 1
    assert len(gateway.rasa.turns) == 1 and len(gateway.sender.sent) == 1


def test_messages_of_one_customer_reach_rasa_in_order(gateway):
    for i in range(8):
        gateway.inbound(f"message {i}")
    gateway.settle()
    assert [text for _, text in gateway.rasa.turns] == [f"message {i}" for i in range(8)]


def test_sms_and_whatsapp_of_one_customer_are_one_conversation(gateway):
    gateway.inbound("on sms")
    gateway.settle()
    gateway.inbound("on whatsapp", channel="whatsapp")
    gateway.settle()
    (first, _), (second, _) = gateway.rasa.turns
    assert first == second
    assert gateway.sender.sent[-1]["channel"] == "whatsapp"  # reply on the channel last written on
    with gateway.factory() as s:
        assert s.scalar(select(func.count(Conversation.id))) == 1
        assert s.scalar(select(Conversation.last_channel)) is Channel.WHATSAPP


def test_unknown_numbers_get_a_conversation(gateway):
    gateway.inbound("I heard about the recall", phone="+14155550123")
    gateway.settle()
    with gateway.factory() as s:
        stranger = s.scalar(select(Customer).where(Customer.phone == "+14155550123"))
        assert stranger.source == "inbound"
    assert gateway.sender.sent[-1]["to"] == "+14155550123"


def test_stop_silences_every_reply_until_start(gateway):
    gateway.inbound("STOP", channel="whatsapp")
    gateway.settle()
    assert "unsubscribed" in gateway.sender.sent[-1]["body"]  # WhatsApp: the app confirms
    gateway.inbound("AR26D004512")
    gateway.inbound("stop.")
    gateway.inbound("AR26D004512", channel="whatsapp")
    gateway.settle()
    assert len(gateway.sender.sent) == 1 and gateway.rasa.turns == []  # nothing more, not even to Rasa
    gateway.inbound("Start", channel="whatsapp")
    gateway.settle()
    assert "subscribed again" in gateway.sender.sent[-1]["body"]
    gateway.inbound("hi again")
    gateway.settle()
    assert gateway.rasa.turns[-1][1] == "hi again"
    with gateway.factory() as s:
        assert s.scalar(select(OptOut.opted_in_at)) is not None


def test_on_sms_twilio_confirms_stop_and_start_itself(gateway):
    gateway.inbound("STOP")
    gateway.inbound("START")
    gateway.settle()
    assert gateway.sender.sent == []
    with gateway.factory() as s:
        assert s.scalar(select(OptOut.opted_in_at)) is not None


def test_help_is_answered_by_the_gateway(gateway):
    gateway.inbound("HELP")
    gateway.settle()
    assert gateway.rasa.turns == []
    body = gateway.sender.sent[-1]["body"]
    assert "Arctica" in body and "STOP" in body


def test_media_only_and_empty_messages_never_error(gateway):
    assert gateway.inbound("", media=[("https://api.twilio.com/media/ME1", "image/jpeg")]).status_code == 200
    assert gateway.inbound("").status_code == 200
    gateway.settle()
    assert "type the serial number" in gateway.sender.sent[0]["body"]
    assert len(gateway.sender.sent) == 1  # nothing sent for the empty one
    with gateway.factory() as s:
        photo = s.scalar(select(Message).where(Message.num_media == 1))
        assert photo.media == [{"url": "https://api.twilio.com/media/ME1", "content_type": "image/jpeg"}]


def test_a_5000_character_message_is_stored_whole(gateway):
    text = "word " * 1000
    gateway.inbound(text)
    gateway.settle()
    with gateway.factory() as s:
        assert len(s.scalar(select(Message.body).where(Message.direction == Direction.INBOUND))) == 5000
    assert len(gateway.rasa.turns[0][1]) <= 2000


def test_a_reply_over_1600_characters_is_split(gateway):
    gateway.rasa.reply = lambda text: ["This is a sentence of the reply. " * 80]
    gateway.inbound("tell me everything")
    gateway.settle()
    parts = [m["body"] for m in gateway.sender.sent]
    assert len(parts) == 2 and all(len(p) <= 1600 for p in parts) and parts[0].endswith(".")


def test_twilio_opt_out_error_is_recorded_and_not_retried(gateway):
    gateway.sender.fail_with["+919812300001"] = (21610, SendOutcome.OPTED_OUT)
    gateway.inbound("hello")
    gateway.settle()
    with gateway.factory() as s:
        assert s.scalar(select(OptOut.source)) == "twilio_21610"
    gateway.inbound("hello again")
    gateway.settle()
    assert len(gateway.sender.sent) == 1


def test_status_callbacks_move_forward_only(gateway):
    gateway.inbound("hello")
    gateway.settle()
    with gateway.factory() as s:
        sid = s.scalar(select(Message.twilio_sid).where(Message.direction == Direction.OUTBOUND))
    for status in ("sent", "delivered", "sent"):
        assert gateway.post("/twilio/status", {"MessageSid": sid, "MessageStatus": status}).status_code == 204
    assert (
        gateway.post("/twilio/status", {"MessageSid": sid, "MessageStatus": "read"}, signature="x").status_code == 403
    )
    with gateway.factory() as s:
        assert s.scalar(select(Message.status).where(Message.twilio_sid == sid)).value == "delivered"
        assert s.scalar(select(Customer.delivered_at)) is not None


def test_the_webhook_stores_the_message_alone_and_the_customer_is_attached_after(gateway):
    gateway.inbound("hello", channel="whatsapp")
    gateway.settle()
    with gateway.factory() as s:
        message = s.scalar(select(Message).where(Message.direction == Direction.INBOUND))
        conversation = s.scalar(select(Conversation))
        customer = s.get(Customer, conversation.customer_id)
        assert message.customer_id == customer.id
        assert conversation.last_channel is Channel.WHATSAPP
        assert conversation.last_inbound_at == conversation.whatsapp_last_inbound_at == message.created_at
        assert customer.replied_at == message.created_at  # the funnel: when they wrote, not when we looked


def test_a_message_from_an_impossible_number_is_kept_and_not_answered(gateway):
    assert gateway.inbound("hello", phone="12").status_code == 200
    gateway.settle()
    with gateway.factory() as s:
        message = s.scalar(select(Message).where(Message.direction == Direction.INBOUND))
        assert message.customer_id is None and message.body == "hello" and message.processed_at is not None
    assert gateway.rasa.turns == [] and gateway.sender.sent == []


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_the_webhook_answers_while_the_dialogue_holds_the_customer_locked(gateway, engine):
    """An action's transaction holds the customer's and conversation's rows (PostgreSQL row
    locks); the webhook touches neither, so it answers at once."""
    gateway.inbound("first")
    gateway.settle()
    with concurrent.futures.ThreadPoolExecutor(1) as pool, engine.connect() as locker:
        locker.execute(text("SELECT 1 FROM customers FOR UPDATE"))
        locker.execute(text("SELECT 1 FROM conversations FOR UPDATE"))
        answer = pool.submit(gateway.inbound, "second")
        try:
            status = answer.result(timeout=10).status_code  # blocked on a row lock: TimeoutError
        finally:
            locker.rollback()
    assert status == 200
    gateway.settle()
    assert [t for _, t in gateway.rasa.turns] == ["first", "second"]


def test_a_status_callback_with_an_error_code_records_it(gateway):
    gateway.inbound("hello")
    gateway.settle()
    with gateway.factory() as s:
        sid = s.scalar(select(Message.twilio_sid).where(Message.direction == Direction.OUTBOUND))
    for status, code in (("sent", ""), ("undelivered", "30007"), ("sent", "")):
        form = {"MessageSid": sid, "MessageStatus": status, **({"ErrorCode": code} if code else {})}
        assert gateway.post("/twilio/status", form).status_code == 204
    with gateway.factory() as s:
        message = s.scalar(select(Message).where(Message.twilio_sid == sid))
        assert message.status.value == "undelivered" and message.error_code == 30007
        assert message.status_updated_at is not None


def test_the_driver_statement_stores_every_column():
    """PostgreSQL stores the webhook with a hand-written statement (`_PG_STORE`): it names
    exactly the columns the portable path writes."""
    from bot.gateway.inbound import _PG_COLUMNS, _message_values

    form = {
        "MessageSid": "SM1",
        "From": "whatsapp:+919812345678",
        "To": "+15005550006",
        "Body": "hi",
        "NumMedia": "1",
        "MediaUrl0": "https://example.test/p.jpg",
        "MediaContentType0": "image/jpeg",
    }
    assert set(_PG_COLUMNS) == set(_message_values(form))


def test_apply_status_says_whether_the_callback_moved_a_message(gateway):
    """The same answers on every path (PostgreSQL runs the common callbacks as one driver
    statement each, `delivered` included): unknown sid or stale status → False."""
    from bot.gateway.status_callbacks import apply_status

    gateway.inbound("hello")
    gateway.settle()
    with gateway.factory() as s:
        sid = s.scalar(select(Message.twilio_sid).where(Message.direction == Direction.OUTBOUND))
    answers = [
        apply_status(gateway.factory, {"MessageSid": s_, "MessageStatus": status})
        for s_, status in (
            (sid, "sent"),
            (sid, "delivered"),
            (sid, "sent"),
            (sid, "delivered"),
            ("SMunknown", "delivered"),
            (sid, "bogus"),
        )
    ]
    assert answers == [True, True, False, False, False, False]
    with gateway.factory() as s:
        assert s.scalar(select(Customer.delivered_at).where(Customer.phone == "+919812300001")) is not None
