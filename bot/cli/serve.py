"""`recall serve`: the web application (Twilio webhooks, health) and the gateway worker
that processes what it stores; `recall worker`: the worker alone."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence

import click
import uvicorn

from bot.cli.context import AppContext, pass_app
from bot.deployment import DeploymentError, check_deployment
from bot.logs import configure_logging, uvicorn_log_config
from bot.processes import ChildServer, ChildWatch, gateway_worker
from bot.settings import Settings
from bot.web import create_app


def run_web_and_worker(
    app: AppContext, settings: Settings, host: str, port: int, *, watched: Sequence[ChildServer] = ()
) -> None:
    """GATEWAY_WORKERS worker processes (stopped with us), the web application in this
    one, until Ctrl-C or SIGTERM. When a worker, or one of `watched` (Rasa, the action
    server), exits on its own, everything stops and the command fails, for its
    supervisor to start it again."""
    checked(settings)
    env = {**os.environ, "RASA_URL": settings.rasa_url, "RASA_TOKEN": settings.rasa_token}
    workers = [gateway_worker(env, nice=settings.background_nice, index=i + 1) for i in range(settings.gateway_workers)]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, factory=app.session_factory, inline_processing=False),
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=True,
            log_config=uvicorn_log_config(),
        )
    )
    # A child gone: uvicorn shuts down as on SIGTERM, but returns (rather than dying by
    # the signal), so that everything is stopped here and the command fails.
    watch = ChildWatch([*watched, *workers], lambda child: setattr(server, "should_exit", True))
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.wait_ready(10)
        watch.start()
        server.run()
    finally:
        watch.stop()
        for worker in workers:
            worker.stop()
    if watch.exited is not None:
        code = watch.exited.process.returncode if watch.exited.process else None
        raise click.ClickException(
            f"{watch.exited.name} exited (code {code}; its log: {watch.exited.log_path}); stopped everything"
        )


def checked(settings: Settings) -> Settings:
    """The settings, when the processes they ask for can work together."""
    try:
        check_deployment(settings)
    except DeploymentError as exc:
        raise click.ClickException(str(exc)) from exc
    return settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, help="Default: PORT from the settings (8000).")
@pass_app
def serve(app: AppContext, host: str, port: int | None) -> None:
    """Run the web application (POST /twilio/inbound, POST /twilio/status, GET /health)
    and the gateway workers (`recall worker`, GATEWAY_WORKERS of them) beside it."""
    run_web_and_worker(app, app.settings, host, port or app.settings.port)


@click.command("worker")
@pass_app
def worker(app: AppContext) -> None:
    """Process stored inbound messages (customer, dialogue, replies) until Ctrl-C or
    SIGTERM. `recall serve` starts GATEWAY_WORKERS of them; or run each under a process
    supervisor."""
    from bot.worker import run_worker

    configure_logging()
    asyncio.run(run_worker(checked(app.settings), app.session_factory))
