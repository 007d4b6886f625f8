"""Entry point of the `recall` command."""

from __future__ import annotations

import click

from bot.cli.agents import agent
from bot.cli.campaigns import campaign
from bot.cli.chat import chat
from bot.cli.completion import booking, request
from bot.cli.customers import customers
from bot.cli.database import db
from bot.cli.demo import demo
from bot.cli.feedback import feedback
from bot.cli.outreach import outreach
from bot.cli.readouts import customer, status
from bot.cli.serve import serve, worker
from bot.cli.sim import sim
from bot.cli.up import up


@click.group()
@click.version_option(package_name="recall-assistant")
def cli() -> None:
    """Recall Assistant: reach every buyer of a recalled product and book the remedy."""


for command in (
    db,
    campaign,
    agent,
    customers,
    status,
    customer,
    booking,
    request,
    chat,
    demo,
    outreach,
    feedback,
    serve,
    worker,
    sim,
    up,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="recall")


if __name__ == "__main__":
    main()
