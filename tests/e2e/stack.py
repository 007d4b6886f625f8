"""The whole stack for end-to-end tests, everything real but Twilio's servers: the app
(`recall serve`, a child process: web app and gateway worker), the Rasa server, the
action server, a PostgreSQL database of its own holding the demo recall, and the local
Twilio simulator acting as Twilio and as the customers' phones.

With `rasa_replicas` > 1 (or a `redis_url`), the dialogue is started as `recall up` starts
it: the endpoints file written from the settings (the SQL tracker store in a database of
its own on the same server, Redis as the lock store), several Rasa servers on
consecutive ports, and `recall serve` told about them (RASA_REPLICAS, GATEWAY_WORKERS)."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.pool import NullPool
from twilio.request_validator import RequestValidator

from bot.db import make_engine, make_session_factory
from bot.processes import (
    BACKGROUND_NICE,
    LOG_DIR,
    ChildServer,
    DialogueStack,
    action_server,
    free_port,
    running_dialogue_stack,
)
from bot.rasa_endpoints import ensure_tracker_database, replica_servers, write_endpoints
from bot.settings import PROJECT_ROOT, Settings
from bot.twilio_sim.config import SimConfig
from bot.twilio_sim.runner import SimHandle, running_simulator
from tests.support.databases import scratch_pg_database

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
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli.main", "serve", "--port", str(self.port)],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
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
    rasa_servers: list[ChildServer] = field(default_factory=list)  # every replica (dialogue.rasa is the first)
    settings: Settings | None = None  # the replicated dialogue's settings (tracker database, Redis)

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

        result = CliRunner().invoke(
            cli, ["customer", phone, "--json"], obj=AppContext(settings=Settings(database_url=self.database_url))
        )
        return json.loads(result.output)

    def db(self):
        return make_session_factory(make_engine(self.database_url))()

    def signed_post(self, params: dict[str, str]) -> httpx.Response:
        url = f"{self.app.url}/twilio/inbound"
        signature = RequestValidator(TOKEN).compute_signature(url, params)
        return httpx.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10)


@contextlib.contextmanager
def replicated_dialogue(
    database_url: str,
    model: str | os.PathLike[str],
    *,
    replicas: int,
    redis_url: str,
    log_dir: Path = LOG_DIR,
    nice: int = BACKGROUND_NICE,
    timeout: float = 240,
) -> Iterator[tuple[Settings, ChildServer, list[ChildServer]]]:
    """The action server and `replicas` Rasa servers as `recall up` starts them on
    PostgreSQL + Redis (bot.rasa_endpoints: tracker database, endpoints file, servers);
    yields (settings, action server, Rasa servers), stops them and drops Rasa's tracker
    database on exit."""
    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        rasa_replicas=replicas,
        rasa_url=f"http://127.0.0.1:{free_port(replicas)}",
        rasa_token=secrets.token_urlsafe(16),
        action_server_port=free_port(),
        background_nice=nice,
    )
    tracker_db = ensure_tracker_database(settings)
    endpoints = write_endpoints(settings)
    actions = action_server(settings.action_server_port, database_url, log_dir, nice=nice)
    servers = replica_servers(settings, Path(model), endpoints, log_dir=log_dir)
    try:
        actions.start()
        for server in servers:
            server.start()
        actions.wait_ready(timeout)
        for server in servers:
            server.wait_ready(timeout)
        yield settings, actions, servers
    finally:
        for server in servers:
            server.stop()
        actions.stop()
        endpoints.unlink(missing_ok=True)
        if tracker_db:
            admin = make_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{tracker_db}" WITH (FORCE)'))
            admin.dispose()


@contextlib.contextmanager
def _dialogue(
    url: str, rasa_model: str, replicas: int, redis_url: str
) -> Iterator[tuple[DialogueStack, list[ChildServer], Settings | None]]:
    if replicas == 1 and not redis_url:
        with running_dialogue_stack(url, model=rasa_model) as dialogue:
            yield dialogue, [dialogue.rasa] if dialogue.rasa else [], None
        return
    started = time.monotonic()
    with replicated_dialogue(url, rasa_model, replicas=replicas, redis_url=redis_url) as (settings, actions, servers):
        yield (
            DialogueStack(
                settings.rasa_url,
                settings.rasa_token,
                settings.action_server_url,
                time.monotonic() - started,
                actions,
                servers[0],
            ),
            servers,
            settings,
        )


@contextlib.contextmanager
def running_app(
    url: str,
    rasa_url: str,
    rasa_token: str,
    action_port: str,
    *,
    step_delay: float = 0.05,
    extra_env: dict[str, str] | None = None,
) -> Iterator[tuple[App, SimHandle]]:
    """The app (`recall serve`: web app and gateway worker) on the database at `url`, talking
    to the Rasa server at `rasa_url`, with the Twilio simulator as Twilio and as the phones
    (`step_delay`: the seconds between a message's status callbacks)."""
    port = free_port()
    config = SimConfig(
        auth_token=TOKEN, inbound_url=f"http://127.0.0.1:{port}/twilio/inbound", step_delay=step_delay, read_delay=-1
    )
    with running_simulator(config) as sim:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RASA_URL": rasa_url,
            "RASA_TOKEN": rasa_token,
            "ACTION_SERVER_PORT": action_port,
            "TWILIO_API_URL": sim.base_url,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_ACCOUNT_SID": config.account_sid,
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            **(extra_env or {}),
        }
        app = App(port, env)
        app.start()
        try:
            yield app, sim
        finally:
            app.stop()


@contextlib.contextmanager
def running_gateway(
    url: str, dialogue: DialogueStack, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[App, SimHandle]]:
    """`running_app` in front of a running dialogue stack."""
    action_port = dialogue.action_url.rsplit(":", 1)[1]
    with running_app(url, dialogue.rasa_url, dialogue.rasa_token, action_port, extra_env=extra_env) as pair:
        yield pair


@contextlib.contextmanager
def running_stack(
    rasa_model: str,
    seed: Callable[[str], None],
    *,
    rasa_replicas: int = 1,
    gateway_workers: int = 1,
    redis_url: str = "",
) -> Iterator[Stack]:
    """A new PostgreSQL database filled by `seed(url)`, and the whole stack on it."""
    with scratch_pg_database("recall_stack") as url:
        seed(url)
        with _dialogue(url, rasa_model, rasa_replicas, redis_url) as (dialogue, servers, settings):
            extra = (
                {"RASA_REPLICAS": str(rasa_replicas), "GATEWAY_WORKERS": str(gateway_workers), "REDIS_URL": redis_url}
                if settings is not None or gateway_workers != 1
                else {}
            )
            with running_gateway(url, dialogue, extra) as (app, sim):
                yield Stack(app, sim, url, dialogue, servers, settings)
