"""`recall chat`: talk to the assistant in the terminal, as one customer would by SMS."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import click
import httpx

from bot.cli.context import AppContext, pass_app
from bot.domain.phones import InvalidPhone, normalise_phone
from bot.messaging.reply import collect_output, media_url_of
from bot.processes import DialogueStack, running_dialogue_stack
from bot.services.conversations import open_conversation_safely


def send(stack: DialogueStack, sender_id: str, text: str) -> list[str]:
    """One customer message through Rasa's REST channel; the bot's replies."""
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender_id, "message": text}, timeout=60
    )
    response.raise_for_status()
    return list(collect_output(response.json()))  # each text with its image (WhatsApp only)


def show_replies(replies: Iterable[str]) -> None:
    for reply in replies:
        lines = reply.splitlines() or [""]
        click.echo(f"  bot      > {lines[0]}")
        for line in lines[1:]:
            click.echo(f"             {line}")
        if media_url_of(reply):
            click.echo(f"             [image: {media_url_of(reply)}]")


def show_turn(text: str, replies: Iterable[str]) -> None:
    click.secho(f"  customer > {text}", fg="cyan")
    show_replies(replies)


def chat_loop(stack: DialogueStack, sender_id: str) -> None:
    click.echo("Type as the customer would by SMS; an empty line or Ctrl-D ends the chat.")
    while True:
        try:
            text = input("  customer > ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo("")
            return
        if not text:
            return
        show_replies(send(stack, sender_id, text))


@click.command("chat")
@click.argument("phone")
@pass_app
def chat(app: AppContext, phone: str) -> None:
    """Chat in the terminal as the customer with PHONE (a buyer, or any number).

    Starts the Rasa server and the action server for the duration of the chat."""
    try:
        e164 = normalise_phone(phone, app.settings.default_country)
    except InvalidPhone as exc:
        raise click.ClickException(str(exc)) from None
    sender_id = app.in_transaction(lambda session: open_conversation_safely(session, e164))
    click.echo("Starting the assistant (Rasa and the action server) ...")
    with running_dialogue_stack(app.settings.database_url) as stack:
        click.echo(f"Ready in {stack.ready_seconds:.0f} s. You are {e164}.")
        if not sys.stdin.isatty():
            for line in sys.stdin:
                if line.strip():
                    show_turn(line.strip(), send(stack, sender_id, line.strip()))
            return
        chat_loop(stack, sender_id)
