"""What a Twilio failure means for the app: one `SendOutcome` per course of action.

`classify_error(code, http_status)` reads a Twilio error code (from an API error or a
status callback's ErrorCode) and/or the HTTP status; `classify_exception(exc)` reads
whatever `client.messages.create` raised: a `TwilioRestException` /
`TwilioServiceException` (`.status`, `.code`) or a `requests` transport error.

Transport errors are split by whether the request can have reached Twilio:
connection refused, DNS failure, connect timeout, TLS or proxy failure → RETRYABLE
(nothing was sent); read timeout, connection dropped mid-request, broken response →
UNKNOWN_OUTCOME (Twilio may have created the message: settle before sending again).
"""

from __future__ import annotations

from enum import Enum

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError


class SendOutcome(Enum):
    SENT = "sent"  # not an error: Twilio accepted the message
    OPTED_OUT = "opted_out"  # record the opt-out; never retry, never fall back
    UNREACHABLE = "unreachable"  # this channel cannot reach the customer's number
    OUTSIDE_WHATSAPP_WINDOW = "outside_whatsapp_window"  # send the approved template, or SMS
    WHATSAPP_FAILED = "whatsapp_failed"  # WhatsApp cannot deliver: fall back to SMS
    RETRYABLE = "retryable"  # 429 / 5xx / request never reached Twilio: try again later
    UNKNOWN_OUTCOME = "unknown_outcome"  # request sent, answer lost: Twilio may have the message
    PERMANENT = "permanent"  # anything else: do not retry the same request

    @property
    def falls_back_to_sms(self) -> bool:
        """The one fallback rule: a WhatsApp send that failed this way is sent again by SMS
        (the reply sender and the outreach dispatcher both ask this)."""
        return self in (SendOutcome.OUTSIDE_WHATSAPP_WINDOW, SendOutcome.WHATSAPP_FAILED)


OPTED_OUT_CODES = frozenset({21610})  # Attempt to send to unsubscribed recipient
UNREACHABLE_CODES = frozenset(
    {
        21211,  # Invalid 'To' phone number
        21214,  # 'To' phone number cannot be reached
        21217,  # Phone number does not appear to be valid
        21401,  # Invalid phone number
        21407,  # This phone number type does not support SMS or MMS
        21408,  # Permission to send an SMS has not been enabled for the region of 'To'
        21421,  # PhoneNumber is invalid
        21612,  # The 'To' phone number is not currently reachable via SMS
        21614,  # 'To' number is not a valid mobile number
        21635,  # 'To' number cannot be a landline
        30005,  # Unknown destination handset (delivery error: unknown / inactive number)
        30006,  # Landline or unreachable carrier (delivery error)
    }
)
OUTSIDE_WHATSAPP_WINDOW_CODES = frozenset({63016})
# Named WhatsApp failures; any other 63xxx (channel) code is treated the same way.
WHATSAPP_FAILED_CODES = frozenset(
    {
        63001,  # Channel could not authenticate the request
        63003,  # Channel could not find the To address (not on WhatsApp)
        63005,  # Channel did not accept the content
        63007,  # No channel with the specified From address
        63013,  # Channel policy violation
        63015,  # Sandbox: recipient has not joined
        63018,  # Rate limit exceeded for the channel
        63021,  # Channel invalid content
        63023,  # Channel generic error
        63024,  # Invalid message recipient
        63032,  # Cannot send to this user because of a WhatsApp limitation
        63049,  # Meta chose not to deliver this marketing message
    }
)
_CHANNEL_CODES = range(63000, 64000)

_NOT_SENT_TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectTimeout,
    requests.exceptions.SSLError,
    requests.exceptions.ProxyError,
)
# The request could not even be built: a configuration error, pointless to retry.
_MALFORMED_REQUEST_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
)


def classify_error(code: int | None, http_status: int | None = None) -> SendOutcome:
    """The outcome for a Twilio error code and/or HTTP status (either may be None).

    Specific Twilio codes win over the HTTP status (a 429 that carries 63018 is a
    WhatsApp failure); without one, 429 and 5xx are RETRYABLE and the rest PERMANENT.
    """
    if code is not None:
        if code in OPTED_OUT_CODES:
            return SendOutcome.OPTED_OUT
        if code in UNREACHABLE_CODES:
            return SendOutcome.UNREACHABLE
        if code in OUTSIDE_WHATSAPP_WINDOW_CODES:
            return SendOutcome.OUTSIDE_WHATSAPP_WINDOW
        if code in WHATSAPP_FAILED_CODES or code in _CHANNEL_CODES:
            return SendOutcome.WHATSAPP_FAILED
    if http_status is not None and (http_status == 429 or 500 <= http_status <= 599):
        return SendOutcome.RETRYABLE
    return SendOutcome.PERMANENT


def request_surely_not_sent(exc: requests.exceptions.RequestException) -> bool:
    """True when a transport error happened before Twilio could have seen the request."""
    if isinstance(exc, _NOT_SENT_TRANSPORT_ERRORS):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(exc, requests.exceptions.ReadTimeout):
        # requests wraps urllib3's MaxRetryError when the connection could not be
        # opened (refused, DNS, connect timeout); a connection that dropped after the
        # request went out arrives as a ProtocolError / OSError instead.
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, (NewConnectionError, ConnectTimeoutError))
    return False


def classify_exception(exc: BaseException) -> SendOutcome:
    """The outcome for an exception raised while creating a message.

    Raises TypeError for exceptions that are not Twilio API or transport errors: those
    are bugs and must not be mistaken for a failed send.
    """
    if isinstance(exc, (TwilioRestException, TwilioServiceException)):
        return classify_error(_int_or_none(exc.code), _int_or_none(exc.status))
    if isinstance(exc, _MALFORMED_REQUEST_ERRORS):
        return SendOutcome.PERMANENT
    if isinstance(exc, requests.exceptions.RequestException):
        return SendOutcome.RETRYABLE if request_surely_not_sent(exc) else SendOutcome.UNKNOWN_OUTCOME
    raise TypeError(f"not a Twilio or transport error: {exc!r}")


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None
