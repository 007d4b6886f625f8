"""`recall serve`: the web application (Twilio webhooks, health) and the gateway worker
that processes what it stores; `recall worker`: the worker alone."""

from __future__ import annotations

import asyncio
import os

import click
import uvicorn

from bot.cli.context import AppContext, pass_app
from bot.gateway.app import create_app
from bot.logs import configure_logging, uvicorn_log_config
from bot.processes import gateway_worker
from bot.settings import Settings


def run_web_and_worker(app: AppContext, settings: Settings, host: str, port: int) -> None:
    """The worker in its own process (stopped with us), the web application in this one,
    until Ctrl-C or SIGTERM."""
    worker = gateway_worker({**os.environ, "RASA_URL": settings.rasa_url, "RASA_TOKEN": settings.rasa_token},
                            nice=settings.background_nice)
    worker.start()
    try:
        worker.wait_ready(10)
        uvicorn.run(create_app(settings, factory=app.session_factory, inline_processing=False), host=host,
                    port=port, log_level="warning", proxy_headers=True, log_config=uvicorn_log_config())
    finally:
        worker.stop()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, help="Default: PORT from the settings (8000).")
@pass_app
def serve(app: AppContext, host: str, port: int | None) -> None:
    """Run the web application (POST /twilio/inbound, POST /twilio/status, GET /health)
    and the gateway worker (`recall worker`) beside it."""
    run_web_and_worker(app, app.settings, host, port or app.settings.port)


@click.command("worker")
@pass_app
def worker(app: AppContext) -> None:
    """Process stored inbound messages (customer, dialogue, replies) until Ctrl-C or
    SIGTERM. `recall serve` starts one; run it alone under a process supervisor."""
    from bot.gateway.worker import run_worker

    configure_logging()
    asyncio.run(run_worker(app.settings, app.session_factory))
