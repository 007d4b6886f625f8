"""`recall serve`: the web application (Twilio webhooks, health)."""

from __future__ import annotations

import click
import uvicorn

from bot.cli.context import AppContext, pass_app
from bot.gateway.app import create_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, help="Default: PORT from the settings (8000).")
@pass_app
def serve(app: AppContext, host: str, port: int | None) -> None:
    """Run the web application: POST /twilio/inbound, POST /twilio/status, GET /health."""
    settings = app.settings
    uvicorn.run(create_app(settings, factory=app.session_factory), host=host, port=port or settings.port,
                log_level="warning", proxy_headers=True)
