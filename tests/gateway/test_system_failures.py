"""Rasa answers a turn with nothing (it does when the action server is unreachable): the
gateway asks the action server's /health; when it is down, the customer gets one apology,
a person gets the conversation (escalation system_error), and the bot stays silent."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.models import Conversation, Direction, Escalation, Message, Priority
from bot.processes import free_port
from tests.gateway.support import Gateway, running_gateway

APOLOGY = "Sorry, something went wrong on our side. A person from Arctica Appliances will reply to you here"


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.probes += 1  # type: ignore[attr-defined]
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def healthy_action_server() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), Health)
    server.probes = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def action_server_down(session_factory) -> Iterator[Gateway]:
    with running_gateway(session_factory, action_server_port=free_port()) as gateway:  # nothing listens there
        gateway.rasa.reply = lambda text: []  # what Rasa's REST channel answers then
        yield gateway


def test_no_reply_with_the_action_server_down_apologises_once_and_escalates(action_server_down):
    gateway = action_server_down
    gateway.inbound("my serial is AR26D004512")
    gateway.settle()
    assert [m["body"][: len(APOLOGY)] for m in gateway.sender.sent] == [APOLOGY]
    with gateway.factory() as s:
        [escalation] = s.scalars(select(Escalation)).all()
        assert (escalation.reason, escalation.priority) == ("system_error", Priority.HIGH)
        assert escalation.trigger_text == "my serial is AR26D004512" and escalation.message_id is not None
        assert s.scalar(select(Conversation.bot_paused)) is True

    for n in range(3):  # a person has it now: stored for the console, nothing to Rasa, no reply
        gateway.inbound(f"hello? {n}")
    gateway.settle()
    assert len(gateway.rasa.turns) == 1 and len(gateway.sender.sent) == 1
    with gateway.factory() as s:
        assert s.scalar(select(func.count()).select_from(Escalation)) == 1
        unprocessed = s.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.direction == Direction.INBOUND, Message.processed_at.is_(None))
        )
        assert unprocessed == 0


def test_no_reply_with_the_action_server_up_sends_nothing(session_factory, healthy_action_server):
    port = healthy_action_server.server_address[1]
    with running_gateway(session_factory, action_server_port=port) as gateway:
        gateway.rasa.reply = lambda text: []
        gateway.inbound("ok")
        gateway.settle()
        assert gateway.sender.sent == [] and healthy_action_server.probes == 1
        with gateway.factory() as s:
            assert s.scalar(select(Escalation.id)) is None and s.scalar(select(Conversation.bot_paused)) is False


def test_a_reply_means_no_health_check(session_factory, healthy_action_server):
    with running_gateway(session_factory, action_server_port=healthy_action_server.server_address[1]) as gateway:
        gateway.inbound("hello")
        gateway.settle()
        assert gateway.sender.sent[0]["body"] == "echo: hello" and healthy_action_server.probes == 0
