"""The simulator's webhooks reach an app behind TLS with a private certificate when the
machine trusts it (SSL_CERT_FILE or the system store), as a test host behind nginx with
a self-signed certificate does (docs/deploy.md); an untrusted certificate is an error in
the webhook log, not a crash."""

from __future__ import annotations

import asyncio
import http.server
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.twilio_sim.clock import SimClock
from bot.twilio_sim.store import Store
from bot.twilio_sim.webhooks import WebhookPoster


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(b"<Response/>")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS server on 127.0.0.1 with a new self-signed certificate for `localhost`;
    yields (its URL, the certificate file)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}/twilio/status", cert
    finally:
        server.shutdown()
        server.server_close()


def _post(url: str) -> dict[str, object]:
    async def go() -> dict[str, object]:
        poster = WebhookPoster("token", 5.0, Store(), SimClock())
        try:
            result = await poster.post("status", url, "SM" + "0" * 32, {"MessageStatus": "sent"})
        finally:
            await poster.aclose()
        return {"status": result.delivery.status_code, "error": result.delivery.error}

    return asyncio.run(go())


def test_a_certificate_the_machine_trusts_is_accepted(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert = https_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    assert _post(url) == {"status": 200, "error": None}


def test_an_untrusted_certificate_is_logged_as_the_webhook_error(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = https_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    outcome = _post(url)
    assert outcome["status"] is None
    assert "CERTIFICATE_VERIFY_FAILED" in str(outcome["error"])
