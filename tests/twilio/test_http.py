from __future__ import annotations

import base64

import pytest
from twilio.base.exceptions import TwilioRestException

from bot.settings import Settings
from bot.twilio.http import (
    TWILIO_API_URL,
    AppHttpClient,
    RedirectingHttpClient,
    make_twilio_client,
)
from tests.twilio.fake_twilio import Error, FakeTwilio
from tests.twilio.support import ACCOUNT_SID, AUTH_TOKEN


def test_official_client_reaches_the_fake_with_basic_auth(fake: FakeTwilio, settings: Settings):
    client = make_twilio_client(settings)
    assert isinstance(client.http_client, RedirectingHttpClient)

    message = client.messages.create(to="+919876543210", from_="+15005550006", body="Hello")

    assert message.sid is not None and message.sid.startswith("SM")
    assert message.status == "queued"
    [request] = fake.requests
    assert request.method == "POST"
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.form == {"To": ["+919876543210"], "From": ["+15005550006"], "Body": ["Hello"]}
    expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.authorization == f"Basic {expected}"


def test_errors_arrive_as_twilio_rest_exceptions(fake: FakeTwilio, settings: Settings):
    fake.script(Error(400, 21610, "Attempt to send to unsubscribed recipient"))
    client = make_twilio_client(settings)
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to="+919876543210", from_="+15005550006", body="Hello")
    assert (info.value.status, info.value.code) == (400, 21610)


def test_last_response_keeps_the_headers_of_a_429(fake: FakeTwilio, settings: Settings):
    fake.script(Error(429, 20429, "Too Many Requests", headers={"Retry-After": "3"}))
    client = make_twilio_client(settings)
    with pytest.raises(TwilioRestException):
        client.messages.create(to="+919876543210", from_="+15005550006", body="Hello")
    http = client.http_client
    assert isinstance(http, AppHttpClient)
    assert http.last_response is not None and http.last_response.status_code == 429
    assert http.last_response_headers()["retry-after"] == "3"


def test_default_api_url_is_not_redirected():
    client = make_twilio_client(Settings())
    assert type(client.http_client) is AppHttpClient
    assert client.http_client.rewrite_url(TWILIO_API_URL + "/x") == TWILIO_API_URL + "/x"
    trailing_slash = make_twilio_client(Settings().model_copy(update={"twilio_api_url": TWILIO_API_URL + "/"}))
    assert type(trailing_slash.http_client) is AppHttpClient


@pytest.mark.parametrize(
    ("base_url", "url", "expected"),
    [
        (
            "http://127.0.0.1:9000",
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
            "http://127.0.0.1:9000/2010-04-01/Accounts/AC1/Messages.json",
        ),
        (
            "http://sim:8080/twilio/",
            "https://api.twilio.com/2010-04-01/Accounts.json",
            "http://sim:8080/twilio/2010-04-01/Accounts.json",
        ),
        (
            "http://sim",
            "https://messaging.twilio.com/v1/Services",
            "https://messaging.twilio.com/v1/Services",
        ),
    ],
)
def test_rewrites_only_the_api_twilio_com_prefix(base_url: str, url: str, expected: str):
    assert RedirectingHttpClient(base_url).rewrite_url(url) == expected


def test_timeouts_and_no_transport_retries():
    http = RedirectingHttpClient("http://127.0.0.1:1")
    assert http.timeout == (5.0, 15.0)
    assert AppHttpClient(connect_timeout=1, read_timeout=2).timeout == (1, 2)
    assert http.session is not None
    for prefix in ("http://", "https://"):
        retries = http.session.get_adapter(prefix + "example.com").max_retries
        assert retries.total == 0 and retries.read is False
