"""Outbound Twilio messaging: the HTTP client, error classification and the sender."""

from bot.twilio.errors import SendOutcome, classify_error, classify_exception
from bot.twilio.http import AppHttpClient, RedirectingHttpClient, make_twilio_client
from bot.twilio.sender import SendResult, TwilioSender

__all__ = [
    "AppHttpClient",
    "SendOutcome",
    "RedirectingHttpClient",
    "SendResult",
    "TwilioSender",
    "classify_error",
    "classify_exception",
    "make_twilio_client",
]
