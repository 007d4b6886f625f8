"""Agents' accounts on a real database: created from the CLI, passwords as argon2
hashes, logins checked."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.context import AppContext
from bot.cli.main import cli
from bot.models import Agent, AgentRole, AuditEvent
from bot.services.agents import AgentError, add_agent, verify_login
from bot.settings import Settings

PASSWORD = "correct horse battery staple"


def test_add_and_verify(session_factory):
    with session_factory.begin() as s:
        add_agent(s, "Asha@Example.com", PASSWORD, "admin")
    with session_factory.begin() as s:
        agent = s.scalar(select(Agent))
        assert agent.email == "asha@example.com" and agent.role is AgentRole.ADMIN
        assert agent.password_hash.startswith("$argon2id$") and PASSWORD not in agent.password_hash
        assert verify_login(s, "asha@example.com", PASSWORD) is agent and agent.last_login_at is not None
        assert verify_login(s, "ASHA@example.com ", PASSWORD) is agent
        assert verify_login(s, "asha@example.com", PASSWORD + "x") is None
        assert verify_login(s, "nobody@example.com", PASSWORD) is None
        assert verify_login(s, "not an email", PASSWORD) is None
        agent.active = False
        assert verify_login(s, "asha@example.com", PASSWORD) is None
        assert s.scalar(select(AuditEvent.action)) == "agent.added"


@pytest.mark.parametrize(
    ("email", "password", "role", "message"),
    [
        ("asha@example.com", PASSWORD, "agent", "exists already"),
        ("ravi@example.com", "short", "agent", "at least 12"),
        ("ravi@example.com", PASSWORD, "boss", "role must be one of agent, admin"),
    ],
)
def test_refused(session_factory, email, password, role, message):
    with session_factory.begin() as s:
        add_agent(s, "asha@example.com", PASSWORD, "agent")
    with session_factory.begin() as s, pytest.raises(AgentError, match=message):
        add_agent(s, email, password, role)


def test_cli_agent_add_from_stdin_and_prompt(db_url):
    runner = CliRunner()
    obj = AppContext(settings=Settings(database_url=db_url))
    result = runner.invoke(
        cli, ["agent", "add", "asha@example.com", "--role", "admin", "--password-stdin"], input=PASSWORD + "\n", obj=obj
    )
    assert result.exit_code == 0 and "agent asha@example.com added (admin)" in result.output
    result = runner.invoke(
        cli,
        ["agent", "add", "ravi@example.com"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        obj=AppContext(settings=Settings(database_url=db_url)),
    )
    assert result.exit_code == 0 and "(agent)" in result.output
    result = runner.invoke(
        cli,
        ["agent", "add", "asha@example.com", "--password-stdin"],
        input=PASSWORD + "\n",
        obj=AppContext(settings=Settings(database_url=db_url)),
    )
    assert result.exit_code == 1 and "exists already" in result.output
    result = runner.invoke(
        cli,
        ["agent", "add", "kim@example.com", "--password-stdin"],
        input="short\n",
        obj=AppContext(settings=Settings(database_url=db_url)),
    )
    assert result.exit_code == 1 and "at least 12" in result.output


def test_the_demo_login_gets_a_new_password_each_run(session_factory):
    from bot.cli.demo import demo_agent_login

    with session_factory.begin() as s:
        email, first = demo_agent_login(s)
    with session_factory.begin() as s:
        again, second = demo_agent_login(s)
        assert email == again and first != second
        assert verify_login(s, email, second) is not None and verify_login(s, email, first) is None
        assert s.scalar(select(Agent.role)) is AgentRole.ADMIN
