"""A minimal HTTP/1.1 keep-alive client for the load generator (benchmark only).

The load generator shares the 2-vCPU machine with everything it measures; httpx's
asyncio client costs ~1 ms of CPU per request in Python (pool, locks, state machines),
and while the machine is busy that time turns into queueing inside the load generator
and shows up as acknowledgement latency the app never caused. This client writes a
request prepared in advance and reads the response on one connection per simulated
customer: a few system calls per request. Only what the benchmark needs: POST of a form,
a response with Content-Length."""

from __future__ import annotations

import asyncio
import contextlib
import time
from urllib.parse import urlencode, urlsplit


def form_request(url: str, form: dict[str, str], headers: dict[str, str]) -> bytes:
    parts = urlsplit(url)
    body = urlencode(form).encode()
    lines = [
        f"POST {parts.path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
        *(f"{k}: {v}" for k, v in headers.items()),
        "",
        "",
    ]
    return "\r\n".join(lines).encode() + body


class Connection:
    """One keep-alive connection to host:port; reconnects when the server closed it."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    async def send(self, request: bytes) -> tuple[float, int]:
        """(seconds from writing the request to reading the whole response, status)."""
        for attempt in range(2):
            if self._writer is None or self._writer.is_closing():
                await self._connect()
            assert self._reader is not None and self._writer is not None
            start = time.monotonic()
            try:
                self._writer.write(request)
                head = await self._reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt == 1:
                    raise
                continue
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length:
                await self._reader.readexactly(length)
            return time.monotonic() - start, status
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError):
                await self._writer.wait_closed()
        self._reader = self._writer = None
