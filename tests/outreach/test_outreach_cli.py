"""`recall outreach start` and `tick` from the command line (in-process)."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli.context import AppContext
from bot.cli.main import cli
from tests import factories
from tests.outreach.support import daytime_zone


def _invoke(settings, *args: str):
    return CliRunner().invoke(cli, ["outreach", *args], obj=AppContext(settings=settings))


def test_dry_run_then_start_then_nothing_left(session_factory, settings, sim):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        for i in range(3):
            factories.customer(s, campaign, f"+9198123{i:05d}", f"AR26D{i:06d}", timezone="Etc/GMT")
        slug = campaign.slug
    dry = _invoke(settings, "start", "--campaign", slug, "--dry-run", "--ignore-quiet-hours")
    assert dry.exit_code == 0, dry.output
    assert "would send 3 (sms 3)" in dry.output and not sim.messages()
    sent = _invoke(settings, "start", "--campaign", slug, "--ignore-quiet-hours", "--rate", "50")
    assert sent.exit_code == 0, sent.output
    assert "sent 3 (sms 3); failed 0" in sent.output and len(sim.messages()) == 3
    again = _invoke(settings, "start", "--campaign", slug, "--ignore-quiet-hours")
    assert "sent 0 (none)" in again.output
    tick = _invoke(settings, "tick", "--campaign", slug)
    assert tick.exit_code == 0 and "sent 0" in tick.output  # no reminder due yet


def test_an_unknown_campaign_is_a_clear_error(settings, db_url):
    result = _invoke(settings, "start", "--campaign", "nope")
    assert result.exit_code == 1 and "no campaign 'nope'" in result.output


def test_the_periodic_pass_sends_the_reminders_due_for_every_campaign(session_factory, settings, sim):
    import datetime as dt

    from sqlalchemy import update

    from bot.models import OutreachAttempt
    from bot.outreach.schedule import tick_all

    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        factories.customer(s, campaign, "+919812300000", "AR26D000001", timezone=daytime_zone())
    assert _invoke(settings, "start", "--campaign", campaign.slug, "--ignore-quiet-hours").exit_code == 0
    assert tick_all(session_factory, settings) == 0  # not due yet
    with session_factory.begin() as s:  # the notice went out four days ago
        s.execute(update(OutreachAttempt).values(attempted_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=4)))
    assert tick_all(session_factory, settings) == 1
    assert tick_all(session_factory, settings) == 0
