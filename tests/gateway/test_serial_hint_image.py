"""The picture of where the serial label is, from Rasa's answer to the customer's phone:
on WhatsApp the message carrying the question has it (MediaUrl, what the Twilio simulator
received and shows on its phones page), on SMS the text goes alone; Rasa's REST output
and the tracker of a turn already answered (recovery) keep it."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import select

from bot.messaging.rasa import RasaClient
from bot.messaging.replies import ReplySender
from bot.messaging.reply import Reply, collect_output, pictures_of_parts
from bot.models import Author, Channel, Direction, Message, MessageStatus
from bot.processes import free_port
from bot.settings import Settings
from bot.twilio.errors import SendOutcome
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import SendResult, TwilioSender
from bot.twilio_sim import SimConfig, running_simulator
from bot.twilio_sim.runner import serving
from bot.web import create_app
from tests import factories
from tests.gateway.support import StubRasa

TOKEN = "sim-auth-token"
PHONE = "+919812300001"
SLUG = "arctica-ff260-valve-2026"
QUESTION = "Please send the serial number of your refrigerator. It is on the label inside the door."


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ([{"text": "Hello"}, {"text": "Q"}, {"image": "u"}], [Reply("Hello"), Reply("Q", "u")]),
        ([{"text": "Q", "image": "u"}], [Reply("Q", "u")]),
        ([{"image": "u"}, {"text": "Q"}], [Reply("Q", "u")]),
        ([{"image": "u"}], []),
        ([{"text": "A"}, {"text": None, "image": None}], [Reply("A")]),
    ],
)
def test_rasa_output_gives_each_image_to_its_text(output, expected):
    got = collect_output(output)
    assert got == expected and [r.media_url for r in got] == [r.media_url for r in expected]


def test_the_picture_goes_on_the_part_holding_its_text_and_never_on_a_long_caption():
    texts = ["Hello", Reply("Q?", "u")]
    assert pictures_of_parts(["Hello\n\nQ?"], texts) == ["u"]
    assert pictures_of_parts(["x" * 1500, "Q?"], texts) == [None, "u"]
    assert pictures_of_parts(["Q? " + "x" * 1100], texts) == [None]  # WhatsApp's caption limit


def test_a_turn_answered_before_a_crash_is_recovered_with_its_picture():
    events = [
        {"event": "user", "text": "hi", "metadata": {"gateway_message_id": 7}},
        {"event": "bot", "text": "Hello", "data": {}},
        {"event": "bot", "text": QUESTION, "data": {"image": "https://r.example.com/p.png"}},
        {"event": "user", "text": "later"},
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"events": events})

    async def run() -> list[Reply] | None:
        rasa = RasaClient("http://rasa", "t", client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
        try:
            return await rasa.replies_already_given("c-1", 7)
        finally:
            await rasa.close()

    given = asyncio.run(run())
    assert given == ["Hello", QUESTION]
    assert [r.media_url for r in given] == [None, "https://r.example.com/p.png"]


def _outbound(sim, phone: str, count: int, timeout: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = [m for m in sim.messages(phone) if m["direction"] == "outbound-api"]
        if len(sent) >= count:
            return sent
        time.sleep(0.05)
    raise AssertionError(f"the app sent {len(sent)} message(s) to {phone}, not {count}")


def test_whatsapp_gets_the_picture_with_the_question_and_sms_the_text_alone(session_factory):
    with session_factory.begin() as s:
        factories.customer(s, factories.demo_campaign(s), PHONE, "AR26D004512")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    picture = f"{base}/campaign-media/{SLUG}/serial-hint.png"
    config = SimConfig(auth_token=TOKEN, inbound_url=f"{base}/twilio/inbound", step_delay=0.01, auto_replies=False)
    with running_simulator(config) as sim:
        settings = Settings(
            database_url="sqlite://",
            twilio_auth_token=TOKEN,
            twilio_account_sid=sim.config.account_sid,
            twilio_api_url=sim.base_url,
            twilio_sms_from=sim.config.sms_number,
            twilio_messaging_service_sid="",
            twilio_whatsapp_from=sim.config.whatsapp_number,
            public_base_url=base,
            read_label_photos=False,
        )
        rasa = StubRasa(reply=lambda text: ["Thank you.", Reply(QUESTION, picture)])
        sender = TwilioSender(make_twilio_client(settings), settings, base_delay=0.01, max_delay=0.05)
        with serving(create_app(settings, factory=session_factory, sender=sender, rasa=rasa), port=port):
            sim.send(PHONE, "hi", channel="whatsapp")
            (whatsapp,) = _outbound(sim, PHONE, 1)
            sim.send(PHONE, "hello", channel="sms")
            _, sms = _outbound(sim, PHONE, 2)
            page = httpx.get(f"{sim.base_url}/", params={"phone": PHONE}).text
            served = httpx.get(picture)
    assert whatsapp["body"] == f"Thank you.\n\n{QUESTION}"  # one message: the text is the picture's caption
    assert whatsapp["num_media"] == "1"
    assert [(m["url"], m["content_type"]) for m in whatsapp["sim"]["media"]] == [(picture, "image/png")]
    assert sms["body"] == f"Thank you.\n\n{QUESTION}" and sms["num_media"] == "0" and sms["sim"]["media"] == []
    assert f'<img src="{picture}"' in page  # the phones page shows it
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    with session_factory() as s:
        rows = s.scalars(select(Message).where(Message.direction == Direction.OUTBOUND).order_by(Message.id)).all()
    assert [(r.channel.value, r.media, r.num_media) for r in rows] == [
        ("whatsapp", [{"url": picture, "content_type": "image/png"}], 1),
        ("sms", [], 0),
    ]


@dataclass
class RecordingSender:
    """Twilio as the reply sender sees it: each send recorded with its media; `fail`
    answers the next sends on a channel with an outcome."""

    fail: dict[str, list[SendOutcome]] = field(default_factory=dict)
    sent: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    sids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def send(self, to: str, *, channel, body=None, media_urls=(), **kwargs) -> SendResult:
        channel = Channel(channel)
        self.sent.append((channel.value, body or "", tuple(media_urls)))
        queued = self.fail.get(channel.value) or []
        if queued:
            return SendResult(False, None, None, 63003, "stub", queued.pop(0), 1)
        return SendResult(True, f"SM{next(self.sids):032x}", "queued", None, None, SendOutcome.SENT, 1)


def _reply_sender(session_factory, sender: RecordingSender) -> tuple[ReplySender, int]:
    with session_factory.begin() as s:
        customer_id = factories.customer(s, factories.demo_campaign(s), PHONE, "AR26D004512").id
    settings = Settings(twilio_sms_from="+15005550006", twilio_whatsapp_from="whatsapp:+14155238886")
    return ReplySender(session_factory, sender, settings), customer_id  # type: ignore[arg-type]


def _rows(session_factory) -> list[tuple[str, str, list, int]]:
    with session_factory() as s:
        rows = s.scalars(select(Message).where(Message.direction == Direction.OUTBOUND).order_by(Message.id))
        return [(r.channel.value, r.status.value, r.media, r.num_media) for r in rows]


def test_a_whatsapp_reply_that_falls_back_to_sms_goes_without_the_picture(session_factory):
    sender = RecordingSender(fail={"whatsapp": [SendOutcome.WHATSAPP_FAILED]})
    replies, customer_id = _reply_sender(session_factory, sender)
    delivery = replies.deliver(
        customer_id=customer_id, channel=Channel.WHATSAPP, texts=[Reply(QUESTION, "https://p/x.png")]
    )
    assert delivery.sent == 1
    assert sender.sent == [("whatsapp", QUESTION, ("https://p/x.png",)), ("sms", QUESTION, ())]
    assert _rows(session_factory) == [("sms", "queued", [], 0)]


def test_a_reply_sent_again_after_twilio_refused_it_carries_the_picture_once(session_factory):
    """The retry after a Twilio outage reuses the failed row (exactly once per part)."""
    sender = RecordingSender(fail={"whatsapp": [SendOutcome.RETRYABLE]})
    replies, customer_id = _reply_sender(session_factory, sender)
    with session_factory.begin() as s:
        inbound = Message(
            customer_id=customer_id,
            direction=Direction.INBOUND,
            channel=Channel.WHATSAPP,
            author=Author.CUSTOMER,
            from_address=f"whatsapp:{PHONE}",
            to_address="whatsapp:+14155238886",
            body="hi",
            status=MessageStatus.RECEIVED,
        )
        s.add(inbound)
        s.flush()
        inbound_id = inbound.id
    answer = ["Thank you.", Reply(QUESTION, "https://p/x.png")]
    first = replies.deliver(customer_id=customer_id, channel=Channel.WHATSAPP, texts=answer, reply_to_id=inbound_id)
    again = replies.deliver(customer_id=customer_id, channel=Channel.WHATSAPP, texts=answer, reply_to_id=inbound_id)
    third = replies.deliver(customer_id=customer_id, channel=Channel.WHATSAPP, texts=answer, reply_to_id=inbound_id)
    assert (first.retry_later, again.sent, third.sent) == (1, 1, 0)
    body = f"Thank you.\n\n{QUESTION}"
    assert sender.sent == [("whatsapp", body, ("https://p/x.png",))] * 2
    assert _rows(session_factory) == [
        ("whatsapp", "queued", [{"url": "https://p/x.png", "content_type": "image/png"}], 1)
    ]
