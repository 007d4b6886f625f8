"""`recall demo`: load the demo recall and its buyers, show the funnel, then hold the
recall conversation with the real assistant (Rasa and the action server)."""

from __future__ import annotations

import sys

import click
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.campaigns.definition import read_definition
from bot.campaigns.loader import get_campaign, load_campaign
from bot.cli.chat import chat_loop, send, show_turn
from bot.cli.context import AppContext, pass_app
from bot.importing.buyers import import_buyers
from bot.models import Booking, Customer, Unit
from bot.processes import running_dialogue_stack
from bot.services.conversations import open_conversation_safely
from bot.services.status import campaign_status, format_funnel
from bot.settings import PROJECT_ROOT

DEMO_DIR = PROJECT_ROOT / "demo"


def fresh_buyers(session: Session, campaign_id: int, count: int) -> list[tuple[str, str, str]]:
    """(name, phone, serial) of affected buyers who have not talked to the bot yet."""
    rows = session.execute(
        select(Customer.name, Customer.phone, Unit.serial)
        .join(Unit, Unit.customer_id == Customer.id)
        .where(Customer.campaign_id == campaign_id, Unit.affected.is_(True), Customer.verified_at.is_(None),
               Customer.wrong_person_at.is_(None), ~exists().where(Booking.customer_id == Customer.id))
        .order_by(Customer.id)
        .limit(count)
    )
    return [tuple(row) for row in rows]


def scripted_turns(serial: str) -> list[str]:
    messy = f"{serial[:4].lower()}-{serial[4].lower()} {serial[5:]}"
    return ["hi", f"sr no {messy}", "1", "is it safe to use meanwhile?", "yes", "the second one"]


@click.command("demo")
@click.option("--no-chat", is_flag=True, help="Load and show the funnel only; do not start the assistant.")
@pass_app
def demo(app: AppContext, no_chat: bool) -> None:
    """Load demo/campaign.yml and demo/buyers.csv, print the funnel, and hold a recall
    conversation (scripted, then yours in the terminal when it is interactive)."""
    definition = read_definition(DEMO_DIR / "campaign.yml")
    with app.session_factory.begin() as session:
        created = load_campaign(session, definition).created
    click.echo(f"Database: {app.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Campaign {definition.slug}: {'loaded' if created else 'already loaded, updated'}")
    summary = import_buyers(app.session_factory, definition.slug, DEMO_DIR / "buyers.csv")
    click.echo(
        f"Buyers from demo/buyers.csv: imported {summary.imported}, updated {summary.updated}, "
        f"unchanged {summary.unchanged}, rejected {summary.rejected} (of {summary.rows} rows)"
    )
    if summary.rejects_path:
        click.echo(f"Rejected rows, with line and reason: {summary.rejects_path.relative_to(PROJECT_ROOT)}")
        for line in summary.rejects_path.read_text(encoding="utf-8").splitlines()[1:6]:
            click.echo(f"    {line}")
    click.echo("")
    _print_funnel(app, definition.slug)
    if no_chat:
        return
    with app.session_factory() as session:
        buyers = fresh_buyers(session, get_campaign(session, definition.slug).id, 2)
    click.echo("\nStarting the assistant: Rasa 3.6.21 and the action server ...")
    with running_dialogue_stack(app.settings.database_url) as stack:
        click.echo(f"Ready in {stack.ready_seconds:.0f} s.\n")
        if buyers:
            name, phone, serial = buyers[0]
            click.echo(f"A conversation with {name} ({phone}), who owns an affected unit {serial}:")
            sender_id = open_conversation_safely(app.session_factory, phone)
            for text in scripted_turns(serial):
                show_turn(text, send(stack, sender_id, text))
            click.echo("")
            _print_funnel(app, definition.slug)
        if sys.stdin.isatty():
            name, phone, _ = buyers[1] if len(buyers) > 1 else ("a new customer", "+919812399001", "")
            click.echo(f"\nYour turn: you are {name} ({phone}).")
            chat_loop(stack, open_conversation_safely(app.session_factory, phone))
        else:
            click.echo("\n(Run `make demo` in a terminal to chat with the assistant yourself, or "
                       "`.venv/bin/recall chat PHONE`.)")


def _print_funnel(app: AppContext, slug: str) -> None:
    with app.session_factory() as session:
        click.echo(format_funnel(campaign_status(session, get_campaign(session, slug))))
