from __future__ import annotations

from http.client import RemoteDisconnected

import pytest
import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
)

from bot.twilio.errors import SendOutcome, classify_error, classify_exception
from tests.twilio.support import closed_port

URI = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        (21610, 400, SendOutcome.OPTED_OUT),
        (21610, None, SendOutcome.OPTED_OUT),  # status callback ErrorCode
        (21211, 400, SendOutcome.UNREACHABLE),
        (21614, 400, SendOutcome.UNREACHABLE),
        (21612, 400, SendOutcome.UNREACHABLE),
        (21408, 400, SendOutcome.UNREACHABLE),
        (21635, 400, SendOutcome.UNREACHABLE),
        (21217, 400, SendOutcome.UNREACHABLE),
        (30005, None, SendOutcome.UNREACHABLE),
        (30006, None, SendOutcome.UNREACHABLE),
        (63016, 400, SendOutcome.OUTSIDE_WHATSAPP_WINDOW),
        (63016, None, SendOutcome.OUTSIDE_WHATSAPP_WINDOW),
        (63003, 400, SendOutcome.WHATSAPP_FAILED),
        (63024, 400, SendOutcome.WHATSAPP_FAILED),
        (63018, 429, SendOutcome.WHATSAPP_FAILED),  # the code wins over the status
        (63032, None, SendOutcome.WHATSAPP_FAILED),
        (63049, None, SendOutcome.WHATSAPP_FAILED),
        (63099, 400, SendOutcome.WHATSAPP_FAILED),  # any other channel error
        (20429, 429, SendOutcome.RETRYABLE),
        (None, 429, SendOutcome.RETRYABLE),
        (429, 429, SendOutcome.RETRYABLE),  # non-JSON 429: the client copies the status into code
        (20500, 500, SendOutcome.RETRYABLE),
        (None, 502, SendOutcome.RETRYABLE),
        (503, 503, SendOutcome.RETRYABLE),
        (None, 504, SendOutcome.RETRYABLE),
        (21602, 400, SendOutcome.PERMANENT),  # body required
        (21606, 400, SendOutcome.PERMANENT),  # our From is not SMS-capable
        (20003, 401, SendOutcome.PERMANENT),  # authentication
        (20404, 404, SendOutcome.PERMANENT),
        (None, 400, SendOutcome.PERMANENT),
        (None, 409, SendOutcome.PERMANENT),
        (30003, None, SendOutcome.PERMANENT),  # handset off: may be temporary, not "unreachable"
        (30007, None, SendOutcome.PERMANENT),  # carrier filtering
        (None, None, SendOutcome.PERMANENT),
    ],
)
def test_classify_error(code: int | None, status: int | None, expected: SendOutcome):
    assert classify_error(code, status) is expected


def _rest(status: int, code: int | None) -> TwilioRestException:
    return TwilioRestException(status, URI, "Unable to create record", code, "POST")


def _service(status: int, code: int) -> TwilioServiceException:
    return TwilioServiceException("https://www.twilio.com/docs/errors/x", "t", status, code)


def _refused() -> requests.exceptions.ConnectionError:
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] refused")  # type: ignore[arg-type]
    return requests.exceptions.ConnectionError(MaxRetryError(None, URI, reason))  # type: ignore[arg-type]


def _dns() -> requests.exceptions.ConnectionError:
    reason = NameResolutionError("api.twilio.com", None, OSError("no such host"))  # type: ignore[arg-type]
    return requests.exceptions.ConnectionError(MaxRetryError(None, URI, reason))  # type: ignore[arg-type]


def _connect_timeout_in_pool() -> requests.exceptions.ConnectionError:
    reason = ConnectTimeoutError(None, "timed out")
    return requests.exceptions.ConnectionError(MaxRetryError(None, URI, reason))  # type: ignore[arg-type]


def _dropped() -> requests.exceptions.ConnectionError:
    cause = RemoteDisconnected("Remote end closed connection without response")
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", cause))


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (_rest(400, 21610), SendOutcome.OPTED_OUT),
        (_rest(400, 63016), SendOutcome.OUTSIDE_WHATSAPP_WINDOW),
        (_rest(429, 20429), SendOutcome.RETRYABLE),
        (_rest(500, 500), SendOutcome.RETRYABLE),
        (_rest(400, None), SendOutcome.PERMANENT),
        (_service(400, 21211), SendOutcome.UNREACHABLE),
        (_service(503, 20503), SendOutcome.RETRYABLE),
        (_refused(), SendOutcome.RETRYABLE),
        (_dns(), SendOutcome.RETRYABLE),
        (_connect_timeout_in_pool(), SendOutcome.RETRYABLE),
        (requests.exceptions.ConnectTimeout("connect timed out"), SendOutcome.RETRYABLE),
        (requests.exceptions.SSLError("handshake failed"), SendOutcome.RETRYABLE),
        (requests.exceptions.ProxyError("proxy refused"), SendOutcome.RETRYABLE),
        (requests.exceptions.ReadTimeout("read timed out"), SendOutcome.UNKNOWN_OUTCOME),
        (_dropped(), SendOutcome.UNKNOWN_OUTCOME),
        (
            requests.exceptions.ConnectionError(ConnectionResetError(104, "reset")),
            SendOutcome.UNKNOWN_OUTCOME,
        ),
        (requests.exceptions.ConnectionError(), SendOutcome.UNKNOWN_OUTCOME),
        (requests.exceptions.ChunkedEncodingError("broken body"), SendOutcome.UNKNOWN_OUTCOME),
        (requests.exceptions.InvalidURL("bad url"), SendOutcome.PERMANENT),
        (requests.exceptions.MissingSchema("no scheme"), SendOutcome.PERMANENT),
    ],
)
def test_classify_exception(exc: BaseException, expected: SendOutcome):
    assert classify_exception(exc) is expected


def test_a_real_refused_connection_is_retryable():
    url = f"http://127.0.0.1:{closed_port()}/Messages.json"
    with pytest.raises(requests.exceptions.ConnectionError) as info:
        requests.post(url, data={"Body": "x"}, timeout=2)
    assert classify_exception(info.value) is SendOutcome.RETRYABLE


def test_bugs_are_not_classified_as_send_failures():
    with pytest.raises(TypeError):
        classify_exception(ValueError("a bug"))


def test_whatsapp_outcomes_fall_back_to_sms():
    fallbacks = {outcome for outcome in SendOutcome if outcome.falls_back_to_sms}
    assert fallbacks == {SendOutcome.OUTSIDE_WHATSAPP_WINDOW, SendOutcome.WHATSAPP_FAILED}
