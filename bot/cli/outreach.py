"""`recall outreach start` (the notice) and `recall outreach tick` (reminders due)."""

from __future__ import annotations

import datetime as dt
import math
import time

import click

from bot.cli.context import AppContext, pass_app
from bot.models import utcnow
from bot.outreach.dispatcher import Dispatcher, Progress, Steps
from bot.outreach.outbox import StillPending
from bot.outreach.pacing import PacingUnavailable
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender


@click.group("outreach")
def outreach() -> None:
    """Send the recall notice and reminders to every eligible buyer."""


def _options(fn):
    for option in reversed(
        [
            click.option("--campaign", "slug", required=True, help="The campaign's slug."),
            click.option(
                "--channel",
                type=click.Choice(["auto", "sms", "whatsapp"]),
                default="auto",
                show_default=True,
                help="auto: WhatsApp (approved template) where the customer opted in, else SMS.",
            ),
            click.option(
                "--rate",
                type=click.IntRange(1),
                default=10,
                show_default=True,
                help="Messages per second per sender, across every worker (Redis when REDIS_URL is set).",
            ),
            click.option(
                "--concurrency",
                type=click.IntRange(1, 256),
                default=16,
                show_default=True,
                help="Twilio calls in flight at once.",
            ),
            click.option("--limit", type=click.IntRange(1), help="Send at most this many messages in this run."),
            click.option("--dry-run", is_flag=True, help="Render and count; send nothing."),
            click.option(
                "--lease",
                type=click.FloatRange(0),
                default=60.0,
                show_default=True,
                help="Seconds after which a pending attempt of a stopped run is settled from Twilio.",
            ),
            click.option(
                "--ignore-quiet-hours",
                is_flag=True,
                help="Send at any local hour (an urgent safety recall); default: not 21:00-08:00.",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def _run(
    app: AppContext,
    steps: Steps,
    slug: str,
    channel: str,
    rate: int,
    concurrency: int,
    limit: int | None,
    dry_run: bool,
    lease: float,
    ignore_quiet_hours: bool,
) -> None:
    from tqdm import tqdm

    settings = app.settings
    try:
        dispatcher = Dispatcher(
            app.session_factory,
            settings,
            rate=rate,
            concurrency=concurrency,
            lease_seconds=lease,
            quiet_hours=not ignore_quiet_hours,
            sender_factory=lambda: TwilioSender(make_twilio_client(settings), settings),
        )
    except PacingUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    bar = tqdm(unit="msg", desc="dry run" if dry_run else steps, dynamic_ncols=True, mininterval=0.5)

    shown = 0.0

    def show(p: Progress, final: bool = False) -> None:
        nonlocal shown
        now = time.monotonic()
        if not final and now - shown < 0.5:  # called after every message: redraw twice a second
            return
        shown = now
        bar.total = p.total  # the ETA
        bar.n = p.handled
        bar.set_postfix(sent=p.sent, failed=p.failed, quiet=p.quiet_hours, refresh=False)
        bar.refresh()

    try:
        progress = dispatcher.run(slug, steps=steps, channel=channel, limit=limit, dry_run=dry_run, on_progress=show)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    except PacingUnavailable as exc:
        bar.close()
        raise click.ClickException(f"stopped: {exc}") from None
    except KeyboardInterrupt:
        bar.close()
        raise click.ClickException("stopped: run the same command again to resume") from None
    show(progress, final=True)
    bar.close()
    click.echo(progress.summary(dry_run))
    if progress.still_pending is not None:
        click.echo(still_pending_note(progress.still_pending, lease, utcnow()))
    for warning, times in progress.warnings.items():
        click.echo(f"warning: the SMS {warning} ({times} messages)", err=True)


def still_pending_note(pending: StillPending, lease: float, now: dt.datetime) -> str:
    """What a rerun right after a stop cannot do yet: settle the stopped run's attempts."""

    def at(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).strftime("%H:%M:%S UTC")

    wait = max(0, math.ceil((pending.last_settle_at - now).total_seconds()))
    if pending.last_settle_at - pending.first_settle_at < dt.timedelta(seconds=1):
        ends = f"ends at {at(pending.last_settle_at)}"
    else:
        ends = f"ends between {at(pending.first_settle_at)} and {at(pending.last_settle_at)}"
    attempts = "1 attempt" if pending.count == 1 else f"{pending.count} attempts"
    return (
        f"still pending: {attempts} of an earlier run (stopped, or still running) without a known outcome, "
        f"so not sent again. Their lease (--lease {lease:g} s) {ends} (all in {wait} s): "
        "run this command again from then on and it settles them from Twilio, sending only those Twilio never got."
    )


@outreach.command("start")
@_options
@pass_app
def start(app: AppContext, **options) -> None:
    """Send the recall notice to every eligible customer not yet notified. Ctrl-C stops
    it; running it again resumes where it stopped."""
    _run(app, "notice", **options)


@outreach.command("tick")
@_options
@pass_app
def tick(app: AppContext, **options) -> None:
    """One scheduling pass: the reminders now due (no reply `reminder_after_days` after
    the last message, at most `max_reminders`)."""
    _run(app, "reminders", **options)
