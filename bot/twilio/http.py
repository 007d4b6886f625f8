"""The HTTP layer under the official Twilio client.

`AppHttpClient` is `TwilioHttpClient` with explicit (connect, read) timeouts, no
transport-level retries at all (a retried POST could create a message twice: the
sender decides what to retry) and a per-thread record of the last response, so the
sender can read a 429's `Retry-After`, which `TwilioRestException` does not carry.
`RedirectingHttpClient` also rewrites the `https://api.twilio.com` prefix of every
request to another base URL: the local simulator or a test fake.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from requests.adapters import HTTPAdapter
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from bot.settings import Settings

TWILIO_API_URL = "https://api.twilio.com"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0


class AppHttpClient(TwilioHttpClient):
    def __init__(
        self,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        pool_maxsize: int = 10,
    ) -> None:
        # The base class only takes a single number for `timeout` and mounts its own
        # adapter: set both afterwards. max_retries=0 means one try per call.
        super().__init__(pool_connections=True)
        self.timeout = (connect_timeout, read_timeout)  # type: ignore[assignment]
        adapter = HTTPAdapter(max_retries=0, pool_maxsize=pool_maxsize)
        assert self.session is not None
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self._local = threading.local()

    def rewrite_url(self, url: str) -> str:
        return url

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        self._local.last_response = None
        response = super().request(
            method,
            self.rewrite_url(url),
            params=params,
            data=data,
            headers=headers,
            auth=auth,
            timeout=timeout,
            allow_redirects=allow_redirects,
        )
        self._local.last_response = response
        return response

    @property
    def last_response(self) -> Response | None:
        """The last response this thread received (None after a transport error)."""
        return getattr(self._local, "last_response", None)

    def last_response_headers(self) -> Mapping[str, str]:
        response = self.last_response
        return response.headers if response is not None and response.headers is not None else {}


class RedirectingHttpClient(AppHttpClient):
    """Sends every Twilio REST call to `base_url` instead of https://api.twilio.com."""

    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        pool_maxsize: int = 10,
    ) -> None:
        super().__init__(connect_timeout=connect_timeout, read_timeout=read_timeout, pool_maxsize=pool_maxsize)
        self.base_url = base_url.rstrip("/")

    def rewrite_url(self, url: str) -> str:
        if url.startswith(TWILIO_API_URL):
            return self.base_url + url[len(TWILIO_API_URL) :]
        return url


def make_http_client(settings: Settings) -> AppHttpClient:
    api_url = (settings.twilio_api_url or TWILIO_API_URL).rstrip("/")
    if api_url == TWILIO_API_URL:
        return AppHttpClient()
    return RedirectingHttpClient(api_url)


def make_twilio_client(settings: Settings) -> Client:
    """The official client, pointed at `settings.twilio_api_url`."""
    return Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        http_client=make_http_client(settings),
    )
