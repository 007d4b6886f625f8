"""`recall up` (`make run`): the whole stack from `.env` — the action server, the Rasa
server, the web application and the gateway worker — stopped together on Ctrl-C or
SIGTERM."""

from __future__ import annotations

import dataclasses
import secrets
from urllib.parse import urlparse

import click

from bot.cli.context import AppContext, pass_app
from bot.cli.serve import run_web_and_worker
from bot.processes import (
    action_server,
    die_with_parent,
    latest_model,
    rasa_server,
    train_model,
)


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface of the web application.")
@pass_app
def up(app: AppContext, host: str) -> None:
    """Start Rasa, the action server and the web application; stop all on Ctrl-C/SIGTERM."""
    die_with_parent()  # stopped with whoever started us (make, a supervisor)
    settings = app.settings
    if not settings.rasa_token:
        settings = dataclasses.replace(settings, rasa_token=secrets.token_urlsafe(24))
    rasa_port = urlparse(settings.rasa_url).port or 5005
    model = latest_model() or train_model()
    actions = action_server(settings.action_server_port, settings.database_url, nice=settings.background_nice)
    rasa = rasa_server(rasa_port, settings.action_server_port, settings.rasa_token, model,
                       nice=settings.background_nice)
    try:
        click.echo(f"starting the action server on 127.0.0.1:{settings.action_server_port} ...")
        actions.start()
        click.echo(f"starting Rasa on 127.0.0.1:{rasa_port} (model {model.name}) ...")
        rasa.start()
        actions.wait_ready(120)
        rasa.wait_ready(180)
        click.echo(f"web application on http://{host}:{settings.port} (webhooks: "
                   f"{settings.public_base_url}/twilio/inbound and /twilio/status; health: /health)")
        run_web_and_worker(app, settings, host, settings.port)
    finally:
        click.echo("stopping Rasa and the action server ...")
        rasa.stop()
        actions.stop()
