"""`recall up` (`make run`): the whole stack from `.env` — the action server, RASA_REPLICAS
Rasa servers (RASA_URL's port and upward, sharing the tracker store and the lock store),
the web application and GATEWAY_WORKERS gateway workers — stopped together on Ctrl-C or
SIGTERM, or when any of them exits on its own (then with an error, for a supervisor to
restart it)."""

from __future__ import annotations

import secrets
import socket
from urllib.parse import urlsplit

import click

from bot.cli.context import AppContext, pass_app
from bot.cli.serve import checked, run_web_and_worker
from bot.processes import action_server, die_with_parent, latest_model, train_model
from bot.rasa_endpoints import ensure_tracker_database, replica_servers, write_endpoints


def ports_in_use(addresses: list[tuple[str, int]]) -> list[int]:
    """The ports something already listens on (another stack's Rasa would then answer
    our readiness checks)."""
    taken = []
    for host, port in addresses:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is no user
            try:
                sock.bind((host, port))
            except OSError:
                taken.append(port)
    return taken


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface of the web application.")
@pass_app
def up(app: AppContext, host: str) -> None:
    """Start Rasa, the action server, the web application and the gateway workers; stop
    all on Ctrl-C/SIGTERM."""
    settings = checked(app.settings)
    die_with_parent()  # stopped with whoever started us (make, a supervisor)
    app.engine  # noqa: B018 - the schema is checked before anything starts
    if not settings.rasa_token:
        settings = settings.model_copy(update={"rasa_token": secrets.token_urlsafe(24)})
    local = [settings.action_server_port, *(urlsplit(url).port or 5005 for url in settings.rasa_urls)]
    taken = ports_in_use([*(("127.0.0.1", port) for port in local), (host, settings.port)])
    if taken:
        raise click.ClickException(
            f"port(s) {', '.join(map(str, taken))} already in use (another `recall up`?): "
            "stop it or change ACTION_SERVER_PORT, RASA_URL or PORT"
        )
    tracker = ensure_tracker_database(settings)
    endpoints = write_endpoints(settings)
    click.echo(
        f"Rasa: conversations in {f'PostgreSQL database {tracker}' if tracker else 'memory'}, "
        f"locks in {'Redis' if settings.redis_url else 'memory'} ({endpoints})"
    )
    model = latest_model() or train_model()
    actions = action_server(settings.action_server_port, settings.database_url, nice=settings.background_nice)
    replicas = replica_servers(settings, model, endpoints)
    try:
        click.echo(f"starting the action server on 127.0.0.1:{settings.action_server_port} ...")
        actions.start()
        for url, rasa in zip(settings.rasa_urls, replicas, strict=True):
            click.echo(f"starting Rasa at {url} (model {model.name}) ...")
            rasa.start()
        actions.wait_ready(120)
        for rasa in replicas:
            rasa.wait_ready(180)
        click.echo(
            f"web application on http://{host}:{settings.port} with {settings.gateway_workers} gateway "
            f"worker(s) (webhooks: {settings.public_base_url}/twilio/inbound and /twilio/status; "
            "health: /health)"
        )
        run_web_and_worker(app, settings, host, settings.port, watched=[actions, *replicas])
    finally:
        click.echo("stopping Rasa and the action server ...")
        for rasa in replicas:
            rasa.stop()
        actions.stop()
