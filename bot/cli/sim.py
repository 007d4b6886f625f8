"""`recall sim`: run the local Twilio simulator (REST API, webhooks, customers' phones page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from bot.cli.context import environment_settings
from bot.settings import Settings

if TYPE_CHECKING:  # the simulator (FastAPI, uvicorn) is imported only when the command runs
    from bot.twilio_sim import SimConfig

DEFAULT_PORT = 8900


def sim_config(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    inbound_url: str | None = None,
    public_url: str | None = None,
    step_delay: float = 0.5,
    read_delay: float = 2.0,
    whatsapp_window: str = "reject",
) -> SimConfig:
    """The simulator's config: the app's Twilio settings plus the command-line options."""
    from bot.twilio_sim import SimConfig

    reachable_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return SimConfig(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
        sms_number=settings.twilio_sms_from,
        whatsapp_number=settings.twilio_whatsapp_from,
        messaging_service_sid=settings.twilio_messaging_service_sid,
        inbound_url=inbound_url
        if inbound_url is not None
        else settings.public_base_url.rstrip("/") + "/twilio/inbound",
        public_url=(public_url or f"http://{reachable_host}:{port}").rstrip("/"),
        step_delay=step_delay,
        read_delay=read_delay,
        whatsapp_window="fail" if whatsapp_window == "fail" else "reject",
        default_region=settings.default_country or None,
    )


@click.command("sim")
@click.option("--port", type=int, default=DEFAULT_PORT, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--inbound-url", default=None, help="The app's incoming-message webhook.  [default: PUBLIC_BASE_URL/twilio/inbound]"
)
@click.option(
    "--public-url",
    default=None,
    help="The simulator's URL as the app reaches it (media links).  [default: http://HOST:PORT]",
)
@click.option(
    "--step-delay",
    type=float,
    default=0.5,
    show_default=True,
    help="Seconds between two status changes of an outbound message.",
)
@click.option(
    "--read-delay",
    type=float,
    default=2.0,
    show_default=True,
    help="Seconds from delivered to read on WhatsApp (negative: never read).",
)
@click.option(
    "--whatsapp-window",
    type=click.Choice(["reject", "fail"]),
    default="reject",
    show_default=True,
    help="Free-form WhatsApp outside 24 h: reject the create call (400/63016) or fail the message.",
)
def sim(
    port: int,
    host: str,
    inbound_url: str | None,
    public_url: str | None,
    step_delay: float,
    read_delay: float,
    whatsapp_window: str,
) -> None:
    """Run the Twilio simulator; open http://HOST:PORT/ for the customers' phones.

    Point the app at it with TWILIO_API_URL=http://HOST:PORT. The account, auth token and
    senders are the app's own settings (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
    TWILIO_SMS_FROM, TWILIO_WHATSAPP_FROM, TWILIO_MESSAGING_SERVICE_SID)."""
    import uvicorn

    from bot.twilio_sim import create_app

    config = sim_config(
        environment_settings(), host, port, inbound_url, public_url, step_delay, read_delay, whatsapp_window
    )
    click.echo(f"Twilio simulator: phones page http://{host}:{port}/ ; webhooks to {config.inbound_url or '(none)'}")
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")
