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


def test_a_rerun_within_the_lease_says_what_the_stopped_run_left_pending(session_factory, settings, sim):
    """The run before died with three sends in flight: the rerun sends the rest, leaves the
    three alone and says how many they are and from when a run settles them."""
    import datetime as dt

    from bot.models import AttemptStatus, Author, Channel, Direction, Message, MessageStatus, OutreachAttempt, utcnow

    written = utcnow().replace(microsecond=0) - dt.timedelta(seconds=10)
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        for i in range(4):
            customer = factories.customer(s, campaign, f"+9198123{i:05d}", f"AR26D{i:06d}", timezone="Etc/GMT")
            if i == 3:
                continue  # not attempted yet: the rerun sends it
            message = Message(
                customer_id=customer.id,
                direction=Direction.OUTBOUND,
                channel=Channel.SMS,
                author=Author.OUTREACH,
                from_address=settings.twilio_sms_from,
                to_address=customer.phone,
                body="the notice",
                status=MessageStatus.QUEUED,
                created_at=written,
            )
            s.add(message)
            s.flush()
            s.add(
                OutreachAttempt(
                    campaign_id=campaign.id,
                    customer_id=customer.id,
                    step="notice",
                    channel=Channel.SMS,
                    status=AttemptStatus.PENDING,
                    message_id=message.id,
                    attempted_at=written + dt.timedelta(seconds=i),
                )
            )
        slug = campaign.slug
    rerun = _invoke(settings, "start", "--campaign", slug, "--ignore-quiet-hours")
    assert rerun.exit_code == 0, rerun.output
    assert "sent 1 (sms 1); failed 0; outcome unknown 0; settled from Twilio 0" in rerun.output
    first, last = (f"{(written + dt.timedelta(seconds=60 + i)):%H:%M:%S} UTC" for i in (0, 2))
    assert (
        "still pending: 3 attempts of an earlier run (stopped, or still running) without a known outcome, "
        f"so not sent again. Their lease (--lease 60 s) ends between {first} and {last} (all in "
    ) in rerun.output
    assert "run this command again from then on and it settles them from Twilio" in rerun.output
    assert [m["to"] for m in sim.messages()] == ["+919812300003"]
    # Once their lease is over, a run settles them (Twilio never got them: sent now) and has nothing to say.
    after = _invoke(settings, "start", "--campaign", slug, "--ignore-quiet-hours", "--lease", "5")
    assert after.exit_code == 0, after.output
    assert "sent 3 (sms 3)" in after.output and "still pending" not in after.output
    assert len(sim.messages()) == 4


def test_preview_shows_each_language_with_its_segments(settings, db_url, tmp_path):
    from bot.settings import PROJECT_ROOT

    result = _invoke(settings, "preview", str(PROJECT_ROOT / "demo" / "campaign.yml"), "--name", "Asha", "--check")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    headings = [line for line in lines if not line.startswith("  ")]
    assert headings == [
        "notice in English [en]: GSM-7, 2 segments (298 characters; at most 2)",
        "reminder1, reminder2 in English [en]: GSM-7, 2 segments (225 characters; at most 2)",
        "notice in हिन्दी (Hindi) [hi]: UCS-2, 5 segments (317 UTF-16 units; at most 5)",
        "reminder1, reminder2 in हिन्दी (Hindi) [hi]: UCS-2, 4 segments (237 UTF-16 units; at most 5)",
        "notice in Hinglish (Hindi in Latin letters) [hi-Latn]: GSM-7, 2 segments (294 characters; at most 2)",
        "reminder1, reminder2 in Hinglish (Hindi in Latin letters) [hi-Latn]: GSM-7, 2 segments "
        "(245 characters; at most 2)",
    ]
    assert "  Arctica Care: नमस्ते Asha, Arctica FrostFree 260L फ्रिज का रिकॉल।" in result.output


def test_preview_warns_and_check_fails_on_a_curly_quote_in_hinglish(session_factory, settings, tmp_path):
    import yaml

    from bot.settings import PROJECT_ROOT

    data = yaml.safe_load((PROJECT_ROOT / "demo" / "campaign.yml").read_text())
    data["translations"]["hi-Latn"]["serial_hint"] = "Ye darwaze ke andar “label” par hai."
    data["outreach"]["whatsapp_template_sid"] = "HX" + "1" * 32
    path = tmp_path / "campaign.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    (tmp_path / "serial-hint.png").write_bytes((PROJECT_ROOT / "demo" / "serial-hint.png").read_bytes())
    result = _invoke(settings, "preview", str(path), "--check")
    assert result.exit_code == 1 and "warnings" in result.output
    assert "  warning: the SMS characters outside GSM-7 (“ ”) make it UCS-2: about 3x the segments" in result.output
    assert "  warning: the SMS needs 4 segments (UCS-2, 250 UTF-16 units); keep it to 2" in result.output
    assert "note: hi has no WhatsApp template of its own: its customers get the SMS in hi" in result.output
    # a loaded campaign by its slug: the same preview
    with session_factory.begin() as s:
        slug = factories.demo_campaign(s).slug
    loaded = _invoke(settings, "preview", "--campaign", slug)
    assert loaded.exit_code == 0 and "notice in हिन्दी (Hindi) [hi]: UCS-2, 5 segments" in loaded.output
    assert _invoke(settings, "preview").exit_code == 2  # FILE or --campaign
