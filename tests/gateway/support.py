"""The gateway in-process (FastAPI TestClient) with a stand-in Rasa and Twilio sender, on
the real database (`running_gateway`); the `gateway` fixture in conftest.py wraps it."""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.settings import Settings
from bot.twilio.errors import SendOutcome
from bot.twilio.sender import SendResult
from bot.web import create_app
from tests import factories

TOKEN = "test-auth-token"
BASE = "https://recall.example.com"


@dataclass
class StubRasa:
    """Answers every message with 'echo: <text>'; remembers what it was sent."""

    turns: list[tuple[str, str]] = field(default_factory=list)
    reply: Any = None
    waiting_for_serial: bool = True

    async def turn(self, sender_id: str, text: str, metadata: dict) -> list[str]:
        self.turns.append((sender_id, text))
        return self.reply(text) if self.reply else [f"echo: {text}"]

    async def replies_already_given(self, sender_id: str, message_id: int) -> list[str] | None:
        return None

    async def is_waiting_for(self, sender_id: str, slot: str) -> bool:
        return self.waiting_for_serial

    async def close(self) -> None:
        pass


@dataclass
class StubSender:
    sent: list[dict] = field(default_factory=list)
    fail_with: dict[str, tuple[int, SendOutcome]] = field(default_factory=dict)
    counter: Any = field(default_factory=lambda: itertools.count(1))

    def send(self, to: str, *, channel: str, body: str | None = None, **kwargs) -> SendResult:
        self.sent.append({"to": to, "channel": channel, "body": body})
        if to in self.fail_with:
            code, outcome = self.fail_with[to]
            return SendResult(
                ok=False, sid=None, status=None, error_code=code, error_message="stub", outcome=outcome, attempts=1
            )
        return SendResult(
            ok=True,
            sid=f"SMf{next(self.counter):031x}",
            status="queued",
            error_code=None,
            error_message=None,
            outcome=SendOutcome.SENT,
            attempts=1,
        )


@dataclass
class Gateway:
    client: TestClient
    rasa: StubRasa
    sender: StubSender
    factory: Any
    sids: Any = field(default_factory=lambda: itertools.count(1))

    def post(self, path: str, params: dict[str, str], *, signature: str | None = "valid"):
        headers = {}
        if signature == "valid":
            headers["X-Twilio-Signature"] = RequestValidator(TOKEN).compute_signature(BASE + path, params)
        elif signature:
            headers["X-Twilio-Signature"] = signature
        return self.client.post(path, data=params, headers=headers)

    def inbound(
        self,
        body: str,
        *,
        phone: str = "+919812300001",
        channel: str = "sms",
        sid: str | None = None,
        media: list[tuple[str, str]] = (),
        signature: str | None = "valid",
    ):
        params = {
            "MessageSid": sid or f"SM{next(self.sids):032x}",
            "AccountSid": "AC" + "0" * 32,
            "From": f"whatsapp:{phone}" if channel == "whatsapp" else phone,
            "To": "whatsapp:+14155238886" if channel == "whatsapp" else "+15005550006",
            "Body": body,
            "NumMedia": str(len(media)),
        }
        for i, (url, kind) in enumerate(media):
            params[f"MediaUrl{i}"], params[f"MediaContentType{i}"] = url, kind
        return self.post("/twilio/inbound", params, signature=signature)

    def settle(self, timeout: float = 10) -> None:
        """Wait until every stored inbound message is processed."""
        from sqlalchemy import select

        from bot.models import Direction, Message

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.factory() as s:
                if (
                    s.scalar(
                        select(Message.id).where(Message.direction == Direction.INBOUND, Message.processed_at.is_(None))
                    )
                    is None
                ):
                    return
            time.sleep(0.02)
        raise AssertionError("inbound messages still unprocessed")


@contextlib.contextmanager
def running_gateway(session_factory, *, photos: Any = None, **settings: Any) -> Iterator[Gateway]:
    """The app on the demo campaign with one customer (+919812300001); `settings` override.
    Photos of the label are read only by `photos` (a LabelPhotoReader), when given."""
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        factories.customer(s, campaign, "+919812300001", "AR26D004512")
    settings = Settings(
        **{
            "database_url": "sqlite://",
            "twilio_auth_token": TOKEN,
            "public_base_url": BASE,
            "read_label_photos": False,
            **settings,
        }
    )
    rasa, sender = StubRasa(), StubSender()
    app = create_app(settings, factory=session_factory, sender=sender, rasa=rasa, photos=photos)
    with TestClient(app) as client:
        yield Gateway(client, rasa, sender, session_factory)
