"""A real dialogue stack for end-to-end tests: the Rasa 3.6.21 server (.venv-rasa) with
the trained model, the rasa-sdk action server, and a real database holding the demo
recall and its buyers. Conversations are driven through Rasa's HTTP API (REST channel),
as the gateway drives them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from click.testing import CliRunner

from bot.cli.context import AppContext
from bot.cli.main import cli
from bot.db import make_engine, make_session_factory, run_in_write_transaction
from bot.processes import DialogueStack, running_dialogue_stack
from bot.services.conversations import open_conversation_safely
from bot.settings import Settings
from tests.support.databases import scratch_pg_database
from tests.support.demo import seed_demo
from tests.support.irreversible import conversation_watch

UNCONFIRMED: list[str] = []  # irreversible outcomes without a confirmation, over the session
WATCHED: list[str] = []  # the conversation tests checked


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def e2e_database(request, tmp_path_factory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'recall.db'}"
        yield url
        return
    with scratch_pg_database("recall_e2e") as url:
        yield url


@dataclass
class Dialogue:
    stack: DialogueStack
    database_url: str

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


@dataclass
class Chat:
    dialogue: Dialogue
    sender_id: str
    phone: str

    def say(self, message: str) -> str:
        """Send one customer message; the bot's replies joined into one text."""
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


@pytest.fixture(scope="module")
def dialogue(e2e_database, rasa_model) -> Iterator[Dialogue]:
    seed_demo(e2e_database)
    with running_dialogue_stack(e2e_database, model=rasa_model) as stack:
        yield Dialogue(stack, e2e_database)


@pytest.fixture(autouse=True)
def nothing_irreversible_on_a_guess(request) -> Iterator[None]:
    """Fails a conversation test that reached an irreversible outcome without a confirmation
    turn just before it (tests/support/irreversible.py says what counts)."""
    watch = conversation_watch(request.fixturenames, request.getfixturevalue)
    seen = watch.outcome_keys() if watch else set()
    yield
    if watch is not None:
        WATCHED.append(request.node.nodeid)
        found = watch.unconfirmed(seen)
        UNCONFIRMED.extend(f"{request.node.nodeid}: {outcome}" for outcome in found)
        if found:
            pytest.fail(f"irreversible without confirmation: {', '.join(map(str, found))}")


def pytest_terminal_summary(terminalreporter) -> None:
    if not WATCHED:
        return
    terminalreporter.write_line(
        f"irreversible outcomes without confirmation: {len(UNCONFIRMED)} over {len(WATCHED)} conversation tests"
    )
    for line in UNCONFIRMED:
        terminalreporter.write_line(f"  {line}")
