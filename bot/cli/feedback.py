"""`recall feedback tick`: the follow-ups after visits, once (the gateway worker runs
the same pass every minute)."""

from __future__ import annotations

import click

from bot.cli.context import AppContext, pass_app


@click.group("feedback")
def feedback() -> None:
    """After a visit: ask for feedback, offer new times after a failed or missed one."""


@feedback.command("tick")
@click.option("--ignore-quiet-hours", is_flag=True, help="Write at any local hour; default: not 21:00-08:00.")
@pass_app
def tick(app: AppContext, ignore_quiet_hours: bool) -> None:
    """One pass: ask every customer whose remedy was completed how it went (once), and
    offer new times to every customer whose visit failed or was missed (once per visit)."""
    from bot.followup.job import follow_ups

    job = follow_ups(app.session_factory, app.settings, quiet_hours=not ignore_quiet_hours)
    try:
        result = job.tick()
    finally:
        job.rasa.close()
    click.echo(result.summary())
    if result.failed:
        raise click.ClickException(f"{result.failed} not prompted (Rasa unreachable?): run again to retry")
