"""Benchmark only: Rasa's stock Twilio channel, with its Twilio client pointed at the
local simulator instead of https://api.twilio.com.

Loaded by the Rasa server (.venv-rasa, Python 3.10, twilio 8.2) from
`benchmarks/gateway_support/credentials.yml` with this folder on PYTHONPATH. Everything
else is the stock `rasa.core.channels.twilio` code: the webhook is held until the whole
turn is done, the replies are sent from inside the request with the synchronous client
(one new client, and so one new HTTP connection, per webhook), and nothing checks
X-Twilio-Signature. The channel keeps its name, so its URL stays
`/webhooks/twilio/webhook`.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from twilio.http.http_client import TwilioHttpClient

TWILIO_API_URL = "https://api.twilio.com"


class RedirectingTwilioHttpClient(TwilioHttpClient):
    """The stock HTTP client, with the https://api.twilio.com prefix replaced."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any):
        if url.startswith(TWILIO_API_URL):
            url = self.base_url + url[len(TWILIO_API_URL) :]
        return super().request(method, url, *args, **kwargs)


class SimTwilioOutput(TwilioOutput):
    def __init__(
        self, account_sid: str | None, auth_token: str | None, twilio_number: str | None, api_url: str
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.http_client = RedirectingTwilioHttpClient(api_url)


class SimTwilioInput(TwilioInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        channel = cls(credentials.get("account_sid"), credentials.get("auth_token"), credentials.get("twilio_number"))
        channel.api_url = credentials.get("api_url") or TWILIO_API_URL
        return channel

    def get_output_channel(self) -> OutputChannel:
        return SimTwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_url)
