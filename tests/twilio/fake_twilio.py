"""A tiny fake of Twilio's Messages API, served on 127.0.0.1 from a background thread.

It understands `POST /2010-04-01/Accounts/{sid}/Messages.json` (create) and
`GET .../Messages.json` (list, filtered by To, From and DateSent>), records every
request (method, path, query, form fields, Authorization header) and plays a script:
each create request takes the next scripted action (`Created()` when the script is
empty), each list request the next list action (a normal listing when empty).
The JSON shapes follow Twilio's OpenAPI description of the 2010-04-01 API.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MESSAGING_SERVICE_NUMBER = "+15550001111"  # the number a Messaging Service "chooses"


@dataclass(frozen=True)
class Created:
    """Create the message and answer 201 with the Message resource."""

    status: str = "queued"
    sent: bool = True  # False: date_sent stays null, as for a message still queued


@dataclass(frozen=True)
class Error:
    """Answer with an error: Twilio's JSON error body unless `raw_body` is given."""

    status: int
    code: int | None = None
    message: str = "error"
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: str | None = None


@dataclass(frozen=True)
class Drop:
    """Read the whole request, then close the connection without answering."""

    create: bool = False  # True: Twilio created the message before the connection died
    sent: bool = True  # with create: False leaves the message queued (no date_sent)


@dataclass(frozen=True)
class Slow:
    """Create the message, then wait `seconds` before answering 201 (a read timeout)."""

    seconds: float


Action = Created | Error | Drop | Slow


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    authorization: str | None


def _rfc2822(moment: datetime | None) -> str | None:
    return format_datetime(moment, usegmt=True) if moment is not None else None


class FakeTwilio:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.messages: list[dict[str, object]] = []
        self.create_script: deque[Action] = deque()
        self.list_script: deque[Error] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # --- lifecycle --------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTwilio:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # --- scripting and inspection ----------------------------------------------

    def script(self, *actions: Action) -> None:
        self.create_script.extend(actions)

    def script_list(self, *errors: Error) -> None:
        self.list_script.extend(errors)

    @property
    def creates(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    @property
    def lists(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "GET"]

    def add_message(self, form: dict[str, list[str]], account_sid: str, sent: bool = True) -> dict:
        def one(name: str) -> str | None:
            values = form.get(name)
            return values[0] if values else None

        now = datetime.now(UTC).replace(microsecond=0)
        service = one("MessagingServiceSid")
        sid = "SM" + secrets.token_hex(16)
        message: dict[str, object] = {
            "sid": sid,
            "account_sid": account_sid,
            "api_version": "2010-04-01",
            "to": one("To"),
            "from": one("From") or (MESSAGING_SERVICE_NUMBER if service else None),
            "messaging_service_sid": service,
            "body": one("Body") or (f"[template {one('ContentSid')}]" if one("ContentSid") else ""),
            "status": "accepted" if service else "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "num_media": str(len(form.get("MediaUrl", []))),
            "price": None,
            "price_unit": "USD",
            "error_code": None,
            "error_message": None,
            "date_created": _rfc2822(now),
            "date_updated": _rfc2822(now),
            "date_sent": _rfc2822(now) if sent else None,
            "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json",
            "subresource_uris": {},
            "_created": now,
            "_sent": now if sent else None,
        }
        with self._lock:
            self.messages.append(message)
        return message

    # --- HTTP -------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _record(self) -> tuple[Recorded, str]:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                recorded = Recorded(
                    method=self.command,
                    path=split.path,
                    query=parse_qs(split.query),
                    form=parse_qs(raw),
                    authorization=self.headers.get("Authorization"),
                )
                with fake._lock:
                    fake.requests.append(recorded)
                parts = split.path.split("/")
                account_sid = parts[3] if len(parts) > 3 else ""
                return recorded, account_sid

            def _json(self, status: int, payload: object, headers: dict[str, str] | None = None):
                self._send(status, json.dumps(payload), headers)

            def _send(self, status: int, text: str, headers: dict[str, str] | None = None):
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (read timeout)

            def _error(self, error: Error) -> None:
                if error.raw_body is not None:
                    self._send(error.status, error.raw_body, error.headers)
                    return
                payload = {
                    "code": error.code,
                    "message": error.message,
                    "more_info": f"https://www.twilio.com/docs/errors/{error.code}",
                    "status": error.status,
                }
                self._json(error.status, payload, error.headers)

            def do_POST(self) -> None:
                recorded, account_sid = self._record()
                if not recorded.path.endswith("/Messages.json"):
                    self._error(Error(404, 20404, "not found"))
                    return
                with fake._lock:
                    action = fake.create_script.popleft() if fake.create_script else Created()
                if isinstance(action, Error):
                    self._error(action)
                elif isinstance(action, Drop):
                    if action.create:
                        fake.add_message(recorded.form, account_sid, sent=action.sent)
                    self.close_connection = True  # no answer at all
                elif isinstance(action, Slow):
                    message = fake.add_message(recorded.form, account_sid)
                    time.sleep(action.seconds)
                    self._json(201, _public(message))
                else:
                    message = fake.add_message(recorded.form, account_sid, sent=action.sent)
                    self._json(201, _public(message))

            def do_GET(self) -> None:
                recorded, _ = self._record()
                with fake._lock:
                    error = fake.list_script.popleft() if fake.list_script else None
                if error is not None:
                    self._error(error)
                    return
                query = {k: v[0] for k, v in recorded.query.items()}
                found = list(fake.messages)
                if "To" in query:
                    found = [m for m in found if m["to"] == query["To"]]
                if "From" in query:
                    found = [m for m in found if m["from"] == query["From"]]
                if "DateSent>" in query:
                    after = datetime.strptime(query["DateSent>"], "%Y-%m-%dT%H:%M:%SZ")
                    after = after.replace(tzinfo=UTC)
                    found = [m for m in found if m["_sent"] is not None and m["_sent"] >= after]
                found.sort(key=lambda m: m["_created"], reverse=True)  # newest first
                page_size = int(query.get("PageSize", 50))
                uri = recorded.path
                self._json(
                    200,
                    {
                        "messages": [_public(m) for m in found[:page_size]],
                        "end": min(len(found), page_size) - 1,
                        "first_page_uri": uri,
                        "next_page_uri": None,
                        "previous_page_uri": None,
                        "page": 0,
                        "page_size": page_size,
                        "start": 0,
                        "uri": uri,
                    },
                )

        return Handler


def _public(message: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in message.items() if not k.startswith("_")}
