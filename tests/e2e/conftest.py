"""A real dialogue stack for end-to-end tests: the Rasa 3.6.21 server (.venv-rasa) with
the trained model, the rasa-sdk action server, and a real database holding the demo
recall and its buyers. A module marked `gateway` talks as the customers' phones do: the
Twilio simulator sends each message to the app's signed webhook, the gateway worker
stores it, asks Rasa and sends the replies back through the simulator (pausing, opt-out
keywords and phrases, hours: all the gateway's). Other modules drive Rasa's HTTP API (REST
channel) directly, as the gateway drives it."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.pool import NullPool

from bot.cli.context import AppContext
from bot.cli.main import cli
from bot.db import make_engine, make_session_factory, run_in_write_transaction
from bot.models import Customer, Unit
from bot.processes import DialogueStack, running_dialogue_stack
from bot.services.conversations import open_conversation_safely
from bot.settings import Settings
from bot.twilio_sim.runner import SimHandle
from tests.e2e.stack import App, running_gateway
from tests.support import irreversible_tally
from tests.support.databases import scratch_pg_database
from tests.support.demo import seed_demo
from tests.support.irreversible import conversation_watch


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def e2e_database(request, tmp_path_factory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'recall.db'}"
        yield url
        return
    with scratch_pg_database("recall_e2e") as url:
        yield url


@dataclass
class Gateway:
    """The app and the Twilio simulator in front of the dialogue stack."""

    app: App
    sim: SimHandle
    database_url: str

    def _outbound(self, phone: str) -> list[str]:
        """The app's messages to `phone` (not Twilio's own keyword auto-replies)."""
        return [m["body"] for m in self.sim.messages(phone) if m["direction"] == "outbound-api"]

    def _answered(self, sid: str) -> bool:
        """The gateway processed the inbound message and sent every reply it wrote for it."""
        engine = make_engine(self.database_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                row = conn.execute(
                    text("SELECT id, processed_at FROM messages WHERE twilio_sid = :sid"), {"sid": sid}
                ).first()
                if row is None or row.processed_at is None:
                    return False
                unsent = conn.scalar(
                    text(
                        "SELECT count(*) FROM messages WHERE reply_to_id = :id AND twilio_sid IS NULL "
                        "AND status NOT IN ('failed', 'undelivered', 'canceled')"
                    ),
                    {"id": row.id},
                )
                return unsent == 0
        finally:
            engine.dispose()

    def say(self, phone: str, message: str, timeout: float = 90, **send: Any) -> str:
        """The phone sends `message` (`send`: the simulator's options, e.g. a photo and the
        channel); the app's replies to it, joined into one text."""
        before = len(self._outbound(phone))
        sid = self.sim.send(phone, message, **send)["message"]["sid"]
        deadline = time.monotonic() + timeout
        while not self._answered(sid):
            if time.monotonic() > deadline:
                raise AssertionError(f"the gateway did not answer {message!r} from {phone} in {timeout:.0f} s")
            time.sleep(0.05)
        return "\n".join(self._outbound(phone)[before:])


@dataclass
class Dialogue:
    stack: DialogueStack
    database_url: str
    gateway: Gateway | None = None  # the module talks through the gateway (marker `gateway`)

    def chat(self, phone: str) -> Chat:
        factory = make_session_factory(make_engine(self.database_url))
        return Chat(
            self, run_in_write_transaction(factory, lambda session: open_conversation_safely(session, phone)), phone
        )

    def recall(self, *args: str) -> str:
        result = CliRunner().invoke(cli, list(args), obj=AppContext(settings=Settings(database_url=self.database_url)))
        assert result.exit_code == 0, result.output
        return result.output

    def customer(self, phone: str) -> dict:
        return json.loads(self.recall("customer", phone, "--json"))

    def units_affected(self, phone: str) -> dict[str, bool]:
        """{serial: affected} of the customer's units, from the database."""
        with make_session_factory(make_engine(self.database_url))() as session:
            customer = session.scalar(select(Customer).where(Customer.phone == phone))
            return {u.serial: u.affected for u in session.scalars(select(Unit).where(Unit.customer_id == customer.id))}


@dataclass
class Chat:
    dialogue: Dialogue
    sender_id: str
    phone: str

    def say(self, message: str, **send: Any) -> str:
        """Send one customer message; the bot's replies joined into one text. `send` (a photo,
        the channel) needs the gateway (a module marked `gateway`)."""
        if self.dialogue.gateway is not None:
            return self.dialogue.gateway.say(self.phone, message, **send)
        assert not send, "a photo or a channel needs the gateway (mark the module `gateway`)"
        response = httpx.post(
            f"{self.dialogue.stack.rasa_url}/webhooks/rest/webhook",
            json={"sender": self.sender_id, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return "\n".join(m.get("text", "") for m in response.json())

    def tracker(self) -> dict:
        return httpx.get(
            f"{self.dialogue.stack.rasa_url}/conversations/{self.sender_id}/tracker",
            params={"token": self.dialogue.stack.rasa_token},
            timeout=30,
        ).json()


@pytest.fixture(scope="session")
def dialogue_stacks(rasa_model, tmp_path_factory) -> Iterator[Callable[[str, bool], Dialogue]]:
    """One Rasa server and action server per engine for the test process, started when a
    module first needs it, on a database of its own (starting a stack costs a Rasa model
    load in two processes; the conversation files are many); the gateway and the simulator
    in front of it, started when a module first talks through them."""
    started: dict[str, Dialogue] = {}
    gateways: dict[str, Gateway] = {}
    with contextlib.ExitStack() as stacks:

        def stack_for(kind: str, through_gateway: bool) -> Dialogue:
            if kind not in started:
                if kind == "sqlite":
                    url = f"sqlite:///{tmp_path_factory.mktemp('dialogue') / 'recall.db'}"
                else:
                    url = stacks.enter_context(scratch_pg_database("recall_dialogue"))
                seed_demo(url)
                started[kind] = Dialogue(stacks.enter_context(running_dialogue_stack(url, model=rasa_model)), url)
            shared = started[kind]
            if not through_gateway:
                return shared
            if kind not in gateways:
                app, sim = stacks.enter_context(running_gateway(shared.database_url, shared.stack))
                gateways[kind] = Gateway(app, sim, shared.database_url)
            return Dialogue(shared.stack, shared.database_url, gateways[kind])

        yield stack_for


@pytest.fixture(scope="module")
def dialogue(request, e2e_database, dialogue_stacks) -> Dialogue:
    """The process's dialogue stack of the module's engine, on a database emptied and seeded
    afresh with the demo recall for each module (the ids restart as on a new database; Rasa's
    trackers of earlier modules stay under sender ids nobody uses again: they are random)."""
    kind = "sqlite" if e2e_database.startswith("sqlite") else "postgresql"
    shared = dialogue_stacks(kind, request.node.get_closest_marker("gateway") is not None)
    seed_demo(shared.database_url, empty_first=True)
    if shared.gateway is not None:
        shared.gateway.sim.reset()  # no phone of an earlier module's conversations
    return shared


@pytest.fixture(autouse=True)
def nothing_irreversible_on_a_guess(request) -> Iterator[None]:
    """Fails a conversation test that reached an irreversible outcome without a confirmation
    turn just before it (tests/support/irreversible.py says what counts)."""
    watch = conversation_watch(request.fixturenames, request.getfixturevalue)
    seen = watch.outcome_keys() if watch else set()
    yield
    if watch is not None:
        found = watch.unconfirmed(seen)
        irreversible_tally.record(request.node.nodeid, found)  # the total: tests/conftest.py
        if found:
            pytest.fail(f"irreversible without confirmation: {', '.join(map(str, found))}")
