"""`recall agent add EMAIL --role agent|admin`: a login for the support console."""

from __future__ import annotations

import sys

import click

from bot.cli.context import AppContext, pass_app
from bot.models import AgentRole
from bot.services.agents import AgentError, add_agent


@click.group("agent")
def agent() -> None:
    """Support agents (the console's logins)."""


@agent.command("add")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in AgentRole]),
    default=AgentRole.AGENT.value,
    show_default=True,
    help="admin: also the admin pages.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@pass_app
def add(app: AppContext, email: str, role: str, password_stdin: bool) -> None:
    """Create the agent EMAIL; the password is asked for (twice), or read from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with app.session_factory.begin() as session:
            created = add_agent(session, email, password, role)
            email, role = created.email, created.role.value
    except AgentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"agent {email} added ({role})")
