"""`recall outreach start` (the notice), `recall outreach tick` (reminders due) and
`recall outreach preview` (the texts of every language, with their SMS segments)."""

from __future__ import annotations

import datetime as dt
import math
import time
from pathlib import Path

import click
from sqlalchemy import select

from bot.campaigns.definition import CampaignDefinition, CampaignDefinitionError, parse_definition, read_definition
from bot.cli.context import AppContext, pass_app
from bot.domain.languages import language_name
from bot.models import Campaign, utcnow
from bot.outreach.dispatcher import Dispatcher, Progress, Steps
from bot.outreach.notice import Preview, preview, template_gaps
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


def _preview_lines(definition: CampaignDefinition, first_name: str) -> tuple[list[str], int]:
    """The preview's lines (the notice, then the reminders, of each language), and how many
    warnings the lint gave."""
    lines, warned = [], 0
    groups: dict[tuple[str, str], list[Preview]] = {}
    for p in preview(definition, first_name):
        groups.setdefault((p.language, p.body), []).append(p)
    for (language, body), same in groups.items():
        p = same[0]
        steps = ", ".join(q.step for q in same)  # the reminders are one text, sent up to max_reminders times
        unit = "characters" if p.info.encoding == "GSM-7" else "UTF-16 units"
        segments = "segment" if p.info.segments == 1 else "segments"
        template = f"; WhatsApp template {p.template_sid}" if p.template_sid else ""
        lines.append(
            f"{steps} in {language_name(language)} [{language}]: {p.info.encoding}, {p.info.segments} {segments} "
            f"({p.info.units} {unit}; at most {p.limit}){template}"
        )
        lines.append(f"  {body}")
        for warning in p.warnings:
            lines.append(f"  warning: the SMS {warning}")
            warned += 1
    for language in template_gaps(definition):
        lines.append(f"note: {language} has no WhatsApp template of its own: its customers get the SMS in {language}")
    return lines, warned


@outreach.command("preview")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--campaign", "slug", help="A loaded campaign's slug (instead of FILE).")
@click.option("--name", "first_name", default="", help="A first name to greet (the longest you expect).")
@click.option("--check", is_flag=True, help="Exit with status 1 when the lint warns (for CI).")
@pass_app
def preview_command(app: AppContext, file: Path | None, slug: str | None, first_name: str, check: bool) -> None:
    """The notice and reminders in every language the campaign ships, as sent: each with
    its encoding (GSM-7, or UCS-2 for Devanagari), its SMS segments and the lint's
    warnings. From FILE (a campaign YAML, before loading it) or --campaign."""
    if (file is None) == (slug is None):
        raise click.UsageError("give FILE or --campaign, not both")
    if file is not None:
        try:
            definition = read_definition(file)
        except CampaignDefinitionError as exc:
            raise click.ClickException(str(exc)) from None
    else:
        with app.session_factory() as session:
            campaign = session.scalar(select(Campaign).where(Campaign.slug == slug))
            if campaign is None:
                raise click.ClickException(f"no campaign {slug!r}: load it with `recall campaign load FILE.yml`")
            definition = parse_definition(campaign.definition, campaign.slug)
    lines, warned = _preview_lines(definition, first_name)
    click.echo("\n".join(lines))
    if check and warned:
        raise click.ClickException(f"{warned} warning{'s' if warned != 1 else ''}")
