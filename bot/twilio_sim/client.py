"""The official Twilio client, pointed at a simulator instead of https://api.twilio.com."""

from __future__ import annotations

from typing import Any

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

TWILIO_API = "https://api.twilio.com"


class SimulatorHttpClient(TwilioHttpClient):
    """Rewrites https://api.twilio.com to the simulator's base URL; everything else is the
    stock client (requests, basic auth, form encoding). Proxies from the environment are
    ignored: the simulator is local."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        if self.session is not None:
            self.session.trust_env = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def simulator_client(base_url: str, account_sid: str, auth_token: str, timeout: float | None = 30) -> Client:
    return Client(account_sid, auth_token, http_client=SimulatorHttpClient(base_url, timeout=timeout))
