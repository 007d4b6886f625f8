"""The Twilio account the client tests use, and a port nothing listens on."""

from __future__ import annotations

import socket

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token"


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
