"""TwilioSender against the fake Twilio: the official client, real HTTP, no sleeping."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from twilio.rest import Client

from bot.settings import Settings
from bot.twilio.errors import SendOutcome
from bot.twilio.http import RedirectingHttpClient, make_twilio_client
from bot.twilio.sender import SendResult, TwilioSender
from tests.twilio.fake_twilio import (
    MESSAGING_SERVICE_NUMBER,
    Created,
    Drop,
    Error,
    FakeTwilio,
    Slow,
)
from tests.twilio.support import ACCOUNT_SID, AUTH_TOKEN, closed_port

TO = "+919876543210"
NOW = datetime(2025, 3, 1, 10, 30, 15, tzinfo=UTC)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def make_sender(
    settings: Settings, sleeps: Sleeps, *, client: Client | None = None, rng: float = 1.0, **kwargs
) -> TwilioSender:
    return TwilioSender(client or make_twilio_client(settings), settings, sleep=sleeps, rng=lambda: rng, **kwargs)


def single(form: dict[str, list[str]]) -> dict[str, str]:
    return {name: values[0] for name, values in form.items()}


# --- a normal send and addressing --------------------------------------------------


def test_sms_from_the_configured_number(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Your unit is affected.")

    assert result == SendResult(
        ok=True,
        sid=fake.messages[0]["sid"],
        status="queued",
        error_code=None,
        error_message=None,
        outcome=SendOutcome.SENT,
        attempts=1,
    )
    [create] = fake.creates
    assert single(create.form) == {
        "To": TO,
        "From": "+15005550006",
        "Body": "Your unit is affected.",
        "StatusCallback": "https://recall.example.com/twilio/status",
    }
    assert sleeps == []


def test_sms_through_the_messaging_service(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    settings = settings.model_copy(update={"twilio_messaging_service_sid": "MG" + "2" * 32})
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")

    assert result.ok and result.status == "accepted"
    form = single(fake.creates[0].form)
    assert form["MessagingServiceSid"] == "MG" + "2" * 32
    assert "From" not in form


@pytest.mark.parametrize("to", [TO, f"whatsapp:{TO}", f" whatsapp:{TO} "])
def test_whatsapp_addressing(fake: FakeTwilio, settings: Settings, sleeps: Sleeps, to: str):
    settings = settings.model_copy(update={"twilio_messaging_service_sid": "MG" + "2" * 32})
    result = make_sender(settings, sleeps).send(to, channel="whatsapp", body="Hello")

    assert result.ok
    form = single(fake.creates[0].form)
    assert form["To"] == f"whatsapp:{TO}"
    assert form["From"] == "whatsapp:+14155238886"
    assert "MessagingServiceSid" not in form


def test_whatsapp_from_without_prefix_is_prefixed(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    settings = settings.model_copy(update={"twilio_whatsapp_from": "+14155238886"})
    make_sender(settings, sleeps).send(TO, channel="whatsapp", body="Hello")
    assert single(fake.creates[0].form)["From"] == "whatsapp:+14155238886"


def test_status_callback_default_explicit_and_none(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    sender = make_sender(settings.model_copy(update={"public_base_url": "https://recall.example.com/"}), sleeps)
    sender.send(TO, channel="sms", body="a")
    sender.send(TO, channel="sms", body="b", status_callback="https://cb.example.com/s?id=7")
    make_sender(settings.model_copy(update={"public_base_url": ""}), sleeps).send(TO, channel="sms", body="c")

    callbacks = [single(r.form).get("StatusCallback") for r in fake.creates]
    assert callbacks == [
        "https://recall.example.com/twilio/status",
        "https://cb.example.com/s?id=7",
        None,
    ]


def test_template_with_variables_and_media(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    sender = make_sender(settings, sleeps)
    sender.send(
        TO,
        channel="whatsapp",
        content_sid="HX" + "3" * 32,
        content_variables={"1": "Priya", "2": "RP-7K3F2Q"},
    )
    sender.send(TO, channel="sms", body="See the label", media_urls=["https://x/a.jpg", "https://x/b.jpg"])

    template, media = (r.form for r in fake.creates)
    assert template["ContentSid"] == ["HX" + "3" * 32]
    assert json.loads(template["ContentVariables"][0]) == {"1": "Priya", "2": "RP-7K3F2Q"}
    assert "Body" not in template
    assert media["MediaUrl"] == ["https://x/a.jpg", "https://x/b.jpg"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"channel": "sms"}, "nothing to send"),
        ({"channel": "sms", "body": "x", "content_sid": "HX1"}, "either body or content_sid"),
        ({"channel": "sms", "body": "x", "content_variables": {"1": "a"}}, "need a content_sid"),
        ({"channel": "fax", "body": "x"}, "unknown channel"),
    ],
)
def test_invalid_requests_are_refused_before_any_http(
    fake: FakeTwilio, settings: Settings, sleeps: Sleeps, kwargs: dict, message: str
):
    with pytest.raises(ValueError, match=message):
        make_sender(settings, sleeps).send(TO, **kwargs)
    assert fake.requests == []


def test_sms_to_a_whatsapp_address_is_refused(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    with pytest.raises(ValueError, match="WhatsApp address"):
        make_sender(settings, sleeps).send(f"whatsapp:{TO}", channel="sms", body="x")


# --- retries ------------------------------------------------------------------------


def test_429_then_201_honours_retry_after(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Error(429, 20429, "Too Many Requests", headers={"Retry-After": "2"}), Created())
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")

    assert result.ok and result.attempts == 2 and result.outcome is SendOutcome.SENT
    assert len(fake.messages) == 1 and len(fake.creates) == 2
    assert sleeps == [2.0]


def test_retry_after_is_capped_at_max_delay(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Error(429, 20429, headers={"Retry-After": "120"}))
    result = make_sender(settings, sleeps, max_delay=8.0).send(TO, channel="sms", body="Hello")
    assert result.ok and sleeps == [8.0]


def test_429_without_retry_after_backs_off_with_jitter(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Error(429, 20429), Error(429, None, raw_body="slow down"))
    result = make_sender(settings, sleeps, rng=0.5).send(TO, channel="sms", body="Hello")
    assert result.ok and result.attempts == 3
    assert sleeps == [0.25, 0.5]  # rng() * base_delay * 2**n


def test_500s_stop_at_max_attempts(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(*[Error(500, 20500, "Internal Server Error")] * 5, Created())
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")

    assert result.ok is False
    assert result.outcome is SendOutcome.RETRYABLE
    assert result.attempts == 5
    assert result.error_code == 20500 and "Internal Server Error" in (result.error_message or "")
    assert len(fake.creates) == 5 and fake.messages == []
    assert sleeps == [0.5, 1.0, 2.0, 4.0]  # full jitter with rng() == 1: the ceilings


def test_backoff_ceiling_is_max_delay(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(*[Error(503, None, raw_body="<html>busy</html>")] * 7)
    result = make_sender(settings, sleeps, max_attempts=7).send(TO, channel="sms", body="Hello")
    assert result.outcome is SendOutcome.RETRYABLE and result.attempts == 7
    assert result.error_code is None  # the non-JSON body carried no Twilio code
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_a_5xx_then_success(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Error(502, None, raw_body="bad gateway"), Error(503, 20503), Created())
    result = make_sender(settings, sleeps, rng=0.0).send(TO, channel="sms", body="Hello")
    assert result.ok and result.attempts == 3 and len(fake.messages) == 1
    assert sleeps == [0.0, 0.0]


def test_connection_refused_is_retried_then_given_up(settings: Settings, sleeps: Sleeps):
    settings = settings.model_copy(update={"twilio_api_url": f"http://127.0.0.1:{closed_port()}"})
    result = make_sender(settings, sleeps, max_attempts=3).send(TO, channel="sms", body="Hello")
    assert result.ok is False and result.outcome is SendOutcome.RETRYABLE and result.attempts == 3
    assert result.error_message and result.error_message.startswith("ConnectionError")
    assert len(sleeps) == 2


# --- final errors: one request, never retried ---------------------------------------


@pytest.mark.parametrize(
    ("channel", "error", "outcome"),
    [
        ("sms", Error(400, 21610, "Attempt to send to unsubscribed recipient"), SendOutcome.OPTED_OUT),
        ("sms", Error(400, 21211, "Invalid 'To' Phone Number"), SendOutcome.UNREACHABLE),
        ("sms", Error(400, 21614, "'To' number is not a valid mobile number"), SendOutcome.UNREACHABLE),
        (
            "whatsapp",
            Error(400, 63016, "Outside the allowed window"),
            SendOutcome.OUTSIDE_WHATSAPP_WINDOW,
        ),
        (
            "whatsapp",
            Error(400, 63003, "Channel could not find To address"),
            SendOutcome.WHATSAPP_FAILED,
        ),
        ("sms", Error(400, 21602, "Message body is required"), SendOutcome.PERMANENT),
        ("sms", Error(401, 20003, "Authenticate"), SendOutcome.PERMANENT),
        ("sms", Error(404, 20404, "Not found"), SendOutcome.PERMANENT),
    ],
)
def test_final_errors_make_one_request(
    fake: FakeTwilio, settings: Settings, sleeps: Sleeps, channel, error: Error, outcome: SendOutcome
):
    fake.script(error, Created())
    result = make_sender(settings, sleeps).send(TO, channel=channel, body="Hello")

    assert result.ok is False and result.sid is None
    assert result.outcome is outcome
    assert result.error_code == error.code
    assert error.message in (result.error_message or "")
    assert result.attempts == 1
    assert len(fake.requests) == 1 and fake.messages == [] and sleeps == []


# --- unknown outcomes: settle, never blindly resend ---------------------------------


def test_dropped_connection_after_create_is_settled_not_resent(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Drop(create=True))
    before = datetime.now(UTC)
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Your unit is affected.")

    assert result.ok is True and result.outcome is SendOutcome.SENT
    assert result.sid == fake.messages[0]["sid"]
    assert result.attempts == 1
    assert len(fake.creates) == 1 and len(fake.messages) == 1
    [query] = fake.lists
    assert query.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert single(query.query)["To"] == TO and single(query.query)["From"] == "+15005550006"
    assert single(query.query)["PageSize"] == "20"
    after = datetime.strptime(single(query.query)["DateSent>"], "%Y-%m-%dT%H:%M:%SZ")
    after = after.replace(tzinfo=UTC)
    assert before - timedelta(seconds=61) <= after <= before - timedelta(seconds=59)
    assert sleeps == []


def test_dropped_connection_without_create_is_sent_once_more(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Drop(create=False), Created())
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")

    assert result.ok and result.attempts == 2
    assert len(fake.creates) == 2 and len(fake.messages) == 1
    assert len(fake.lists) == 2  # DateSent-filtered, then the recent messages
    assert len(sleeps) == 1


def test_second_unknown_outcome_gives_up_without_a_third_create(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Drop(), Drop(), Created())
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")

    assert result.ok is False and result.outcome is SendOutcome.UNKNOWN_OUTCOME
    assert result.attempts == 2 and len(fake.creates) == 2 and fake.messages == []


def test_read_timeout_after_create_is_settled(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Slow(1.0))
    http = RedirectingHttpClient(fake.base_url, read_timeout=0.2)
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=http)
    result = make_sender(settings, sleeps, client=client).send(TO, channel="sms", body="Hello")

    assert result.ok and result.attempts == 1 and result.sid == fake.messages[0]["sid"]
    assert len(fake.creates) == 1


def test_a_queued_message_without_date_sent_is_still_found(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Drop(create=True, sent=False))  # created, still queued: no DateSent yet
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")

    assert result.ok and result.attempts == 1 and len(fake.creates) == 1
    assert len(fake.lists) == 2


def test_a_different_message_to_the_same_customer_does_not_settle(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.add_message({"To": [TO], "From": ["+15005550006"], "Body": ["Earlier reminder"]}, ACCOUNT_SID)
    fake.script(Drop(create=False), Created())
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")

    assert result.ok and result.attempts == 2
    assert [m["body"] for m in fake.messages] == ["Earlier reminder", "Hello"]


def test_settling_through_a_messaging_service_and_a_template(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    settings = settings.model_copy(update={"twilio_messaging_service_sid": "MG" + "2" * 32})
    fake.script(Drop(create=True))
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")
    assert result.ok and result.attempts == 1
    assert "From" not in single(fake.lists[0].query)  # the service picked the number

    fake.script(Drop(create=True))
    template = make_sender(settings, sleeps).send(
        TO, channel="whatsapp", content_sid="HX" + "3" * 32, content_variables={"1": "Priya"}
    )
    assert template.ok and template.attempts == 1
    assert single(fake.lists[-1].query)["From"] == "whatsapp:+14155238886"
    assert len(fake.creates) == 2 and len(fake.messages) == 2
    assert fake.messages[0]["from"] == MESSAGING_SERVICE_NUMBER


def test_failing_settle_query_reports_unknown_outcome(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Drop(create=True))
    fake.script_list(Error(500, 20500, "Internal Server Error"))
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")

    assert result.ok is False and result.outcome is SendOutcome.UNKNOWN_OUTCOME
    assert "settling failed" in (result.error_message or "")
    assert result.attempts == 1 and len(fake.creates) == 1


def test_unknown_outcome_after_a_retryable_error(fake: FakeTwilio, settings: Settings, sleeps: Sleeps):
    fake.script(Error(500, 20500), Drop(create=True))
    result = make_sender(settings, sleeps).send(TO, channel="sms", body="Hello")
    assert result.ok and result.attempts == 2 and len(fake.messages) == 1


def test_unknown_outcome_on_the_last_allowed_attempt_is_not_retried(
    fake: FakeTwilio, settings: Settings, sleeps: Sleeps
):
    fake.script(Error(500, 20500), Drop(create=False), Created())
    result = make_sender(settings, sleeps, max_attempts=2).send(TO, channel="sms", body="Hello")
    assert result.outcome is SendOutcome.UNKNOWN_OUTCOME and result.attempts == 2
    assert len(fake.creates) == 2 and fake.messages == []
