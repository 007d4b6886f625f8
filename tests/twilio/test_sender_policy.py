"""The retry and settle policy with a stub client: no HTTP, no sleeping, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.response import Response

from bot.settings import Settings
from bot.twilio.errors import SendOutcome
from bot.twilio.sender import TwilioSender, parse_retry_after

NOW = datetime(2025, 3, 1, 10, 30, 15, tzinfo=UTC)
TO = "+919876543210"
SETTINGS = Settings(twilio_sms_from="+15005550006", public_base_url="https://r.example.com")


def message(body: str = "Hello", **overrides: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "sid": "SM" + "a" * 32,
        "status": "queued",
        "body": body,
        "direction": "outbound-api",
        "date_created": NOW,
        "messaging_service_sid": None,
        "error_code": None,
        "error_message": None,
    }
    values.update(overrides)
    return SimpleNamespace(**values)


@dataclass
class StubMessages:
    outcomes: list[Any]  # per create: an exception to raise or a message to return
    listings: list[Any] = field(default_factory=list)  # per list: messages, or an exception
    created: list[dict[str, Any]] = field(default_factory=list)
    queries: list[dict[str, Any]] = field(default_factory=list)

    def create(self, **params: Any) -> Any:
        self.created.append(params)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def list(self, **query: Any) -> Iterable[Any]:
        self.queries.append(query)
        listing = self.listings.pop(0) if self.listings else []
        if isinstance(listing, BaseException):
            raise listing
        return listing


class StubClient:
    def __init__(self, outcomes: list[Any], listings: Iterable[Any] = (), last_response=None):
        self.messages = StubMessages(list(outcomes), list(listings))
        self.http_client = SimpleNamespace(last_response=last_response)


def sender(client: StubClient, sleeps: list[float], **kwargs: Any) -> TwilioSender:
    return TwilioSender(
        client,  # type: ignore[arg-type]
        SETTINGS,
        sleep=sleeps.append,
        rng=lambda: 1.0,
        now=lambda: NOW,
        **kwargs,
    )


def too_many() -> TwilioRestException:
    return TwilioRestException(429, "uri", "Too Many Requests", 20429, "POST")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("0", 0.0),
        ("-4", 0.0),
        ("Sat, 01 Mar 2025 10:30:25 GMT", 10.0),
        ("Sat, 01 Mar 2025 10:30:05 GMT", 0.0),  # already past
        ("soon", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None):
    assert parse_retry_after(value, NOW) == expected


def test_retry_after_http_date_from_the_last_response():
    response = Response(429, "{}", {"Retry-After": "Sat, 01 Mar 2025 10:30:19 GMT"})
    client = StubClient([too_many(), message()], last_response=response)
    sleeps: list[float] = []
    result = sender(client, sleeps).send(TO, channel="sms", body="Hello")
    assert result.ok and result.attempts == 2 and sleeps == [4.0]


def test_a_stale_last_response_is_not_read_as_retry_after():
    response = Response(200, "{}", {"Retry-After": "7"})  # not the 429's response
    client = StubClient([too_many(), message()], last_response=response)
    sleeps: list[float] = []
    sender(client, sleeps).send(TO, channel="sms", body="Hello")
    assert sleeps == [0.5]  # plain backoff


def test_service_exceptions_are_classified_too():
    error = TwilioServiceException("https://t/e", "Unsubscribed", 400, 21610, detail="opted out")
    client = StubClient([error])
    result = sender(client, []).send(TO, channel="sms", body="Hello")
    assert (result.outcome, result.error_code, result.error_message) == (
        SendOutcome.OPTED_OUT,
        21610,
        "opted out",
    )


def test_max_attempts_one_never_retries():
    client = StubClient([too_many(), message()])
    sleeps: list[float] = []
    result = sender(client, sleeps, max_attempts=1).send(TO, channel="sms", body="Hello")
    assert result.outcome is SendOutcome.RETRYABLE and result.attempts == 1 and sleeps == []


def test_max_attempts_must_be_positive():
    with pytest.raises(ValueError):
        TwilioSender(StubClient([]), SETTINGS, max_attempts=0)  # type: ignore[arg-type]


def test_settle_queries_a_minute_before_the_first_attempt():
    client = StubClient([requests.exceptions.ReadTimeout("read timed out")], [[message()]])
    result = sender(client, []).send(TO, channel="sms", body="Hello")

    assert result.ok and result.attempts == 1 and result.sid == "SM" + "a" * 32
    assert client.messages.queries == [
        {
            "to": TO,
            "from_": "+15005550006",
            "limit": 20,
            "date_sent_after": NOW - timedelta(minutes=1),
        }
    ]


@pytest.mark.parametrize(
    ("listed", "settles"),
    [
        (message("Hello"), True),
        (message("  Hello \n"), True),
        (message("Hello Reply STOP to unsubscribe."), True),  # footer appended by Twilio
        (message("Hello there, a different text"), True),  # indistinguishable from a footer
        (message("Hello!"), False),
        (message("Goodbye"), False),
        (message("Hello", direction="inbound"), False),
        (message("Hello", date_created=NOW - timedelta(minutes=5)), False),
        (message("Hello", date_created=None), True),
    ],
)
def test_which_listed_message_settles_a_body_send(listed: SimpleNamespace, settles: bool):
    client = StubClient([requests.exceptions.ReadTimeout("t"), message("Hello", sid="SMnew")], [[listed], []])
    result = sender(client, []).send(TO, channel="sms", body="Hello")
    assert result.ok
    assert (result.attempts, result.sid) == ((1, listed.sid) if settles else (2, "SMnew"))


def test_another_messaging_service_does_not_settle():
    settings = Settings(twilio_messaging_service_sid="MG1", public_base_url="")
    listed = message("Hello", messaging_service_sid="MG2")
    client = StubClient([requests.exceptions.ReadTimeout("t"), message(sid="SMnew")], [[listed], [listed]])
    result = TwilioSender(client, settings, sleep=lambda s: None, now=lambda: NOW).send(  # type: ignore[arg-type]
        TO, channel="sms", body="Hello"
    )
    assert (result.attempts, result.sid) == (2, "SMnew")
    assert "from_" not in client.messages.queries[0]


@pytest.mark.parametrize(
    ("listed", "settles"),
    [
        (message("Your recall notice, rendered"), True),  # ContentSid is not in the resource
        (message("x", content_sid="HX1"), True),
        (message("x", content_sid="HX2"), False),
        (message("x", direction="inbound"), False),
    ],
)
def test_which_listed_message_settles_a_template_send(listed: SimpleNamespace, settles: bool):
    client = StubClient([requests.exceptions.ReadTimeout("t"), message(sid="SMnew")], [[listed], [listed]])
    result = sender(client, []).send(TO, channel="whatsapp", content_sid="HX1")
    assert (result.attempts, result.sid) == ((1, listed.sid) if settles else (2, "SMnew"))


def test_a_list_transport_error_reports_unknown_outcome():
    client = StubClient(
        [requests.exceptions.ReadTimeout("t"), message()],
        [requests.exceptions.ConnectTimeout("down")],
    )
    result = sender(client, []).send(TO, channel="sms", body="Hello")
    assert result.ok is False and result.outcome is SendOutcome.UNKNOWN_OUTCOME
    assert len(client.messages.created) == 1


def test_bugs_propagate():
    client = StubClient([KeyError("bug")])
    with pytest.raises(KeyError):
        sender(client, []).send(TO, channel="sms", body="Hello")
