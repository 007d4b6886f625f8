"""The whole stack for end-to-end tests, everything real but Twilio's servers: the app
(`recall serve`, a child process: web app and gateway worker), the Rasa server, the
action server, a PostgreSQL database of its own holding the demo recall, and the local
Twilio simulator acting as Twilio and as the customers' phones."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
from twilio.request_validator import RequestValidator

from bot.db import make_engine, make_session_factory
from bot.processes import DialogueStack, free_port, running_dialogue_stack
from bot.settings import PROJECT_ROOT
from bot.twilio_sim.config import SimConfig
from bot.twilio_sim.runner import SimHandle, running_simulator
from tests.conftest import scratch_pg_database

TOKEN = "gateway-test-token"


@dataclass
class App:
    port: int
    env: dict[str, str]
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **overrides: str) -> None:
        env = {**self.env, **overrides}
        self.process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve", "--port", str(self.port)],
                                        env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/health", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("app did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(15)


@dataclass
class Stack:
    app: App
    sim: SimHandle
    database_url: str
    dialogue: DialogueStack

    def replies(self, phone: str, count: int = 1, *, after: int = 0, timeout: float = 30) -> list[dict]:
        """Wait for at least `count` messages the app sent to `phone` after the first `after`
        ones (Twilio's own keyword auto-replies, direction outbound-reply, are not the app's)."""
        deadline = time.monotonic() + timeout
        while True:
            out = [m for m in self.sim.messages(phone) if m["direction"] == "outbound-api"][after:]
            if len(out) >= count or time.monotonic() > deadline:
                return out
            time.sleep(0.1)

    def outbound_count(self, phone: str) -> int:
        return len([m for m in self.sim.messages(phone) if m["direction"] == "outbound-api"])

    def recall_customer(self, phone: str) -> dict:
        import json

        from click.testing import CliRunner

        from bot.cli.context import AppContext
        from bot.cli.main import cli
        from bot.settings import Settings

        result = CliRunner().invoke(cli, ["customer", phone, "--json"],
                                    obj=AppContext(settings=Settings(database_url=self.database_url)))
        return json.loads(result.output)

    def db(self):
        return make_session_factory(make_engine(self.database_url))()

    def signed_post(self, params: dict[str, str]) -> httpx.Response:
        url = f"{self.app.url}/twilio/inbound"
        signature = RequestValidator(TOKEN).compute_signature(url, params)
        return httpx.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10)


@contextlib.contextmanager
def running_stack(rasa_model: str, seed: Callable[[str], None]) -> Iterator[Stack]:
    """A new PostgreSQL database filled by `seed(url)`, and the whole stack on it."""
    with scratch_pg_database("recall_stack") as url:
        seed(url)
        with running_dialogue_stack(url, model=rasa_model) as dialogue:
            port = free_port()
            config = SimConfig(auth_token=TOKEN, inbound_url=f"http://127.0.0.1:{port}/twilio/inbound",
                               step_delay=0.05, read_delay=-1)
            with running_simulator(config) as sim:
                env = {**os.environ, "DATABASE_URL": url, "RASA_URL": dialogue.rasa_url,
                       "RASA_TOKEN": dialogue.rasa_token, "ACTION_SERVER_PORT": dialogue.action_url.rsplit(":", 1)[1],
                       "TWILIO_API_URL": sim.base_url, "TWILIO_AUTH_TOKEN": TOKEN,
                       "TWILIO_ACCOUNT_SID": config.account_sid, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
                app = App(port, env)
                app.start()
                try:
                    yield Stack(app, sim, url, dialogue)
                finally:
                    app.stop()
