"""A real dialogue stack for end-to-end tests: the Rasa 3.6.21 server (.venv-rasa) with
the trained model, the rasa-sdk action server, and a real database holding the demo
recall and its buyers. Conversations are driven through Rasa's HTTP API (REST channel),
as the gateway drives them."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
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


@pytest.fixture(scope="session")
def dialogue_stacks(rasa_model, tmp_path_factory) -> Iterator[Callable[[str], Dialogue]]:
    """One Rasa server and action server per engine for the test process, started when a
    module first needs it, on a database of its own (starting a stack costs a Rasa model
    load in two processes; the conversation files are many)."""
    started: dict[str, Dialogue] = {}
    with contextlib.ExitStack() as stacks:

        def stack_for(kind: str) -> Dialogue:
            if kind not in started:
                if kind == "sqlite":
                    url = f"sqlite:///{tmp_path_factory.mktemp('dialogue') / 'recall.db'}"
                else:
                    url = stacks.enter_context(scratch_pg_database("recall_dialogue"))
                seed_demo(url)
                started[kind] = Dialogue(stacks.enter_context(running_dialogue_stack(url, model=rasa_model)), url)
            return started[kind]

        yield stack_for


@pytest.fixture(scope="module")
def dialogue(e2e_database, dialogue_stacks) -> Dialogue:
    """The process's dialogue stack of the module's engine, on a database emptied and seeded
    afresh with the demo recall for each module (the ids restart as on a new database; Rasa's
    trackers of earlier modules stay under sender ids nobody uses again: they are random)."""
    shared = dialogue_stacks("sqlite" if e2e_database.startswith("sqlite") else "postgresql")
    seed_demo(shared.database_url, empty_first=True)
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
