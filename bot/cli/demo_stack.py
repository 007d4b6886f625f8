"""The demo's running system: the dialogue stack (Rasa + action server), the Twilio
simulator and the web application, wired to each other on local ports."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.messaging.reply import Reply
from bot.processes import free_port, running_dialogue_stack
from bot.settings import Settings
from bot.twilio_sim.config import SimConfig
from bot.twilio_sim.runner import SimHandle, running_simulator, serving
from bot.web import create_app


def port_or_free(preferred: int) -> int:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            return free_port()


@dataclass
class DemoSystem:
    settings: Settings
    app_url: str
    sim: SimHandle
    ready_seconds: float

    def say(
        self,
        phone: str,
        text: str,
        *,
        channel: str = "sms",
        timeout: float = 30,
        photo: tuple[str, bytes, str] | None = None,
    ) -> list[str]:
        """Send as the customer's phone (with a photo: (filename, bytes, content type)); the
        app's replies as the phone receives them, each with the picture it carries."""
        before = self.received(phone)
        self.sim.send(phone, text, channel=channel, photo=photo)
        deadline = time.monotonic() + timeout
        last_change, seen = time.monotonic(), before
        while time.monotonic() < deadline:
            now = self.received(phone)
            if now > seen:
                seen, last_change = now, time.monotonic()
            elif now > before and time.monotonic() - last_change > 0.6:
                break
            time.sleep(0.1)
        return self.replies_since(phone, before)

    def received(self, phone: str) -> int:
        """How many messages from the app the phone has."""
        return len(self._from_app(phone))

    def replies_since(self, phone: str, count: int) -> list[str]:
        return [Reply(m["body"], _picture(m)) for m in self._from_app(phone)[count:]]

    def _from_app(self, phone: str) -> list[dict]:
        return [m for m in self.sim.messages(phone) if m["direction"] == "outbound-api"]


def _picture(message: dict) -> str | None:
    """The picture the app sent with the message (the simulator keeps it under `sim.media`)."""
    media = (message.get("sim") or {}).get("media") or []
    return next((m["url"] for m in media if str(m.get("content_type") or "").startswith("image/")), None)


@contextlib.contextmanager
def running_demo_system(
    settings: Settings, factory: sessionmaker[Session], *, app_port: int = 8000, sim_port: int = 8900
) -> Iterator[DemoSystem]:
    started = time.monotonic()
    app_port, sim_port = port_or_free(app_port), port_or_free(sim_port)
    public = f"http://127.0.0.1:{app_port}"
    config = SimConfig(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
        sms_number=settings.twilio_sms_from,
        whatsapp_number=settings.twilio_whatsapp_from,
        inbound_url=f"{public}/twilio/inbound",
        step_delay=0.4,
    )
    with (
        running_dialogue_stack(settings.database_url, public_base_url=public) as dialogue,
        running_simulator(config, port=sim_port) as sim,
    ):
        wired = settings.model_copy(
            update={
                "rasa_url": dialogue.rasa_url,
                "rasa_token": dialogue.rasa_token,
                "action_server_port": int(dialogue.action_url.rsplit(":", 1)[1]),
                "twilio_api_url": sim.base_url,
                "public_base_url": public,
                "port": app_port,
            }
        )
        with serving(create_app(wired, factory=factory), port=app_port) as app_url:
            yield DemoSystem(wired, app_url, sim, time.monotonic() - started)
