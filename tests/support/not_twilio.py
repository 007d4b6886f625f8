"""A web server that is not Twilio's, recording every request that reaches it: for the
tests that a media URL outside Twilio's host is never fetched (tests/gateway and
tests/e2e test_label_photos.py)."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class RecordingServer:
    url: str
    requests: list[str] = field(default_factory=list)


@contextlib.contextmanager
def recording_server(body: bytes = b"\xff\xd8\xff", content_type: str = "image/jpeg") -> Iterator[RecordingServer]:
    """Serves `body` to any GET and records its path."""
    recorded: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorded.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield RecordingServer(f"http://127.0.0.1:{server.server_address[1]}", recorded)
    finally:
        server.shutdown()
