"""`recall demo`: load the demo recall and its buyers, show the funnel, then hold the
recall conversation with the real assistant (Rasa and the action server)."""

from __future__ import annotations

import contextlib
import secrets
import sys
import time
from urllib.parse import quote

import click
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from bot.campaigns.definition import read_definition
from bot.campaigns.loader import get_campaign, load_campaign
from bot.cli.chat import show_replies, show_turn
from bot.cli.context import AppContext, pass_app
from bot.cli.demo_reset import reset_demo_data
from bot.cli.demo_stack import DemoSystem, running_demo_system
from bot.domain.languages import language_name
from bot.followup.job import follow_ups
from bot.importing.buyers import import_buyers
from bot.models import Agent, AgentRole, Author, Booking, BookingStatus, Customer, Message, Unit, utcnow
from bot.outreach.dispatcher import Dispatcher
from bot.services.agents import add_agent, set_password
from bot.services.completion import record_visit_outcome
from bot.services.status import campaign_status, format_funnel
from bot.settings import PROJECT_ROOT
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender

DEMO_DIR = PROJECT_ROOT / "demo"
DEMO_AGENT = "demo-agent@recall.invalid"


def demo_agent_login(session: Session) -> tuple[str, str]:
    """The demo's console login: created on the first run, a fresh random password on
    every run (nothing to remember, nothing fixed in the code)."""
    password = secrets.token_urlsafe(12)
    if session.scalar(select(Agent.id).where(Agent.email == DEMO_AGENT)) is None:
        add_agent(session, DEMO_AGENT, password, AgentRole.ADMIN, actor="demo")
    else:
        set_password(session, DEMO_AGENT, password, actor="demo")
    return DEMO_AGENT, password


def fresh_buyers(session: Session, campaign_id: int, count: int) -> list[tuple[str, str, str]]:
    """(name, phone, serial) of affected buyers who have not talked to the bot yet."""
    rows = session.execute(
        select(Customer.name, Customer.phone, Unit.serial)
        .join(Unit, Unit.customer_id == Customer.id)
        .where(
            Customer.campaign_id == campaign_id,
            Unit.affected.is_(True),
            Customer.verified_at.is_(None),
            Customer.wrong_person_at.is_(None),
            ~exists().where(Booking.customer_id == Customer.id),
        )
        .order_by(Customer.id)
        .limit(count)
    )
    return [tuple(row) for row in rows]


def owner_of_several(session: Session, campaign_id: int) -> tuple[str, str, list[str]] | None:
    """(name, phone, serials) of the first buyer with two or more affected units who has not
    talked to the bot yet."""
    for name, phone in session.execute(
        select(Customer.name, Customer.phone)
        .join(Unit, Unit.customer_id == Customer.id)
        .where(Customer.campaign_id == campaign_id, Unit.affected.is_(True), Customer.verified_at.is_(None))
        .group_by(Customer.id, Customer.name, Customer.phone)
        .having(func.count(Unit.id) >= 2)
        .order_by(Customer.id)
        .limit(1)
    ):
        serials = session.scalars(
            select(Unit.serial)
            .join(Customer, Customer.id == Unit.customer_id)
            .where(Customer.phone == phone, Customer.campaign_id == campaign_id, Unit.affected.is_(True))
            .order_by(Unit.id)
        )
        return name, phone, list(serials)[:2]
    return None


def buyer_speaking(session: Session, campaign_id: int, language: str) -> tuple[str, str, str] | None:
    """(name, phone, serial) of the first affected buyer whose list gives `language`, who has
    not talked to the bot yet."""
    row = session.execute(
        select(Customer.name, Customer.phone, Unit.serial)
        .join(Unit, Unit.customer_id == Customer.id)
        .where(
            Customer.campaign_id == campaign_id,
            Customer.language == language,
            Unit.affected.is_(True),
            Customer.verified_at.is_(None),
        )
        .order_by(Customer.id)
        .limit(1)
    ).first()
    return tuple(row) if row else None


def distinct_buyers(rows: list[tuple[str, str, str]], skip: str | None) -> list[tuple[str, str, str]]:
    """One row per phone (a buyer of two units has two), without the phone `skip`."""
    seen = {skip}
    kept = []
    for row in rows:
        if row[1] not in seen:
            seen.add(row[1])
            kept.append(row)
    return kept


def off_script_turns(serials: list[str]) -> list[str]:
    """Two units in one message, a remedy with a wish about the day, a second remedy in words."""
    first, second = serials
    return [
        f"hi, i have 2 of ur fridges. {first[:4].lower()}-{first[4:]} & {second}",
        "repair pls. can he come on sunday?",
        "yes",
        "1",
        "repair for this one too",
    ]


def hindi_turns(serial: str) -> list[str]:
    """Hindi in Devanagari, as typed on a phone: a greeting, the serial inside a sentence, the
    first remedy, yes to the address, a slot by its ordinal word."""
    return ["नमस्ते", f"मेरा सीरियल नंबर {serial} है", "1", "हाँ", "पहला वाला"]


def scripted_turns(serial: str) -> list[str]:
    messy = f"{serial[:4].lower()}-{serial[4].lower()} {serial[5:]}"
    return ["hi", f"sr no {messy}", "1", "is it safe to use meanwhile?", "yes", "the second one"]


@click.command("demo")
@click.option(
    "--no-chat", is_flag=True, help="Load and show the funnel only (nothing reset); do not start the assistant."
)
@pass_app
def demo(app: AppContext, no_chat: bool) -> None:
    """Load demo/campaign.yml and demo/buyers.csv, print the funnel, start the whole
    system (Rasa, action server, web app, Twilio simulator) and hold a recall conversation
    by SMS; in a terminal it keeps running for you to text it from the phones page.

    Every run but --no-chat first resets the demo recall's own data (its customers and
    what hangs on them: conversations, messages, bookings, escalations ...; nothing of any
    other recall), so that each run shows the whole story."""
    definition = read_definition(DEMO_DIR / "campaign.yml")
    with app.session_factory.begin() as session:
        loaded = load_campaign(session, definition)
        reset = None if no_chat else reset_demo_data(session, loaded.campaign_id)
    click.echo(f"Database: {app.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Campaign {definition.slug}: {'loaded' if loaded.created else 'already loaded, updated'}")
    if reset is not None:
        click.echo(reset.summary())
    summary = import_buyers(app.session_factory, definition.slug, DEMO_DIR / "buyers.csv")
    click.echo(
        f"Buyers from demo/buyers.csv: imported {summary.imported}, updated {summary.updated}, "
        f"unchanged {summary.unchanged}, rejected {summary.rejected} (of {summary.rows} rows)"
    )
    if summary.rejects_path:
        click.echo(f"Rejected rows, with line and reason: {summary.rejects_path.relative_to(PROJECT_ROOT)}")
        for line in summary.rejects_path.read_text(encoding="utf-8").splitlines()[1:6]:
            click.echo(f"    {line}")
    click.echo("")
    _print_funnel(app, definition.slug)
    if no_chat:
        return
    with app.session_factory() as session:
        campaign_id = get_campaign(session, definition.slug).id
        several = owner_of_several(session, campaign_id)
        others = fresh_buyers(session, campaign_id, 6)
        hindi = buyer_speaking(session, campaign_id, "hi")
    buyers = distinct_buyers(others, skip=several[1] if several else None)[:2]
    click.echo("\nStarting Rasa 3.6.21, the action server, the web application and the Twilio simulator ...")
    with running_demo_system(app.settings, app.session_factory) as system:
        click.echo(f"Ready in {system.ready_seconds:.0f} s.\n")
        if buyers:
            name, phone, serial = buyers[0]
            system.sim.register_phone(phone, name)
            click.echo(
                f"{name} ({phone}), who owns the affected unit {serial}, texts the assistant by SMS "
                "(through the simulator, Twilio's API and signed webhooks):"
            )
            for text in scripted_turns(serial):
                show_turn(text, system.say(phone, text))
            _complete_and_ask_feedback(app, system, phone)
        if several is not None:
            name, phone, serials = several
            _converse(
                system,
                name,
                phone,
                "owns two affected units and writes the way customers do (both serials in one message,"
                " a day the technicians do not work):",
                off_script_turns(serials),
            )
        if hindi is not None:
            name, phone, serial = hindi
            _converse(
                system,
                name,
                phone,
                "reads Hindi (the buyer list says so) and writes in Devanagari; the bot answers in Hindi:",
                hindi_turns(serial),
            )
        _photo_of_the_label(system)
        if buyers or several is not None:
            click.echo("")
            _print_funnel(app, definition.slug)
        for name, phone, _ in buyers[1:]:
            system.sim.register_phone(phone, name)
        _send_notices(app, system, definition.slug)
        if len(buyers) > 1:
            name, phone, _ = buyers[1]
            click.echo(f"\n{name} ({phone}) answers the notice and asks for a person:")
            show_turn("can i talk to a real person please", system.say(phone, "can i talk to a real person please"))
            click.echo("  (the bot now stays silent for this customer until an agent hands back)")
        with app.session_factory.begin() as session:
            email, password = demo_agent_login(session)
        click.echo(f"\nThe customers' phones (the Twilio simulator): {system.sim.base_url}/")
        click.echo(
            f"The agents' console: {system.app_url}/console  (log in as {email}, password {password};"
            " a new password every `make demo`)"
        )
        click.echo(f"The recall's dashboard: {system.app_url}/console/campaigns/{definition.slug}")
        click.echo(f"The web application's health: {system.app_url}/health")
        if not sys.stdin.isatty():
            click.echo("(Run `make demo` in a terminal to keep the system running and text it yourself.)")
            return
        click.echo("Open the phones page, pick a customer and text the assistant. Ctrl-C stops everything.")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


def _converse(system: DemoSystem, name: str, phone: str, who: str, turns: list[str]) -> None:
    """A customer's conversation with the bot, turn by turn, as the terminal shows it."""
    system.sim.register_phone(phone, name)
    click.echo(f"\n{name} ({phone}) {who}")
    for text in turns:
        show_turn(text, system.say(phone, text))


def _photo_of_the_label(system: DemoSystem) -> None:
    """A second owner no buyer list knows writes on WhatsApp and sends a photo of the label
    instead of typing the serial (demo/label-photo.jpg; docs/conversation.md)."""
    name, phone, photo = "Kavita Joshi", "+919812388018", DEMO_DIR / "label-photo.jpg"
    system.sim.register_phone(phone, name)
    click.echo(
        f"\n{name} ({phone}) bought her refrigerator second-hand (no buyer list has her); she writes on "
        "WhatsApp, gets the picture of where the label is, and sends a photo of it instead of typing:"
    )
    show_turn("hi", system.say(phone, "hi", channel="whatsapp"))
    sent = system.say(phone, "", channel="whatsapp", photo=("label.jpg", photo.read_bytes(), "image/jpeg"))
    show_turn(f"[a photo of the label: {photo.relative_to(PROJECT_ROOT)}]", sent)
    show_turn("yes", system.say(phone, "yes", channel="whatsapp"))


def _complete_and_ask_feedback(app: AppContext, system: DemoSystem, phone: str) -> None:
    """The technician's visit is done (`recall booking complete REF`); the bot asks how
    it went (`recall feedback tick`, which the gateway worker runs every minute)."""
    with app.session_factory.begin() as session:
        booking = session.scalar(
            select(Booking)
            .join(Customer, Customer.id == Booking.customer_id)
            .where(Customer.phone == phone, Booking.status == BookingStatus.BOOKED)
        )
        if booking is None:
            return
        result = record_visit_outcome(
            session,
            booking.reference,
            BookingStatus.COMPLETED,
            actor="demo technician",
            note="Valve replaced, unit tested",
            now=utcnow(),
        )
    click.echo(f"\nThe technician's visit {result.reference} is done (`recall booking complete {result.reference}`).")
    before = system.received(phone)
    job = follow_ups(app.session_factory, system.settings, quiet_hours=False)
    try:
        job.tick()
    finally:
        job.rasa.close()
    asked = system.replies_since(phone, before)
    click.echo("The bot asks how it went (`recall feedback tick`, run every minute by the gateway worker):")
    show_replies(asked)
    for text in ("5", "The technician was on time and very polite"):
        show_turn(text, system.say(phone, text))


def _send_notices(app: AppContext, system: DemoSystem, slug: str) -> None:
    """The outreach to every demo buyer not yet notified, through the simulator (any hour:
    these are not real people)."""
    settings = system.settings
    dispatcher = Dispatcher(
        app.session_factory,
        settings,
        rate=20,
        concurrency=8,
        quiet_hours=False,
        sender_factory=lambda: TwilioSender(make_twilio_client(settings), settings),
    )
    click.echo("\nThe recall notice to every eligible demo buyer (`recall outreach start`), at 20 messages/s:")
    progress = dispatcher.run(slug)
    click.echo(f"  {progress.summary()}")
    time.sleep(1.5)  # delivery callbacks
    for language, phone, body, encoding, segments in _notice_per_language(app):
        click.echo(f"  {language_name(language)}: {encoding}, {segments} SMS segments, to {phone}:")
        click.echo(f"    {body}")
        click.echo(f"    on the phones page: {system.sim.base_url}/?phone={quote(phone)}")
    _print_funnel(app, slug)


def _notice_per_language(app: AppContext) -> list[tuple[str, str, str, str, int]]:
    """(language, phone, text, encoding, segments) of one notice sent in each language."""
    with app.session_factory() as session:
        definition = read_definition(DEMO_DIR / "campaign.yml")
        first: dict[str, tuple[str, str, str, str, int]] = {}
        rows = session.execute(
            select(Customer.language, Customer.phone, Message.body, Message.encoding, Message.segments)
            .join(Customer, Customer.id == Message.customer_id)
            .where(Message.author == Author.OUTREACH)
            .order_by(Message.id)
        )
        for language, phone, body, encoding, segments in rows:
            shown = definition.language_for(language)
            first.setdefault(shown, (shown, phone, body, encoding or "?", segments or 0))
    return [first[language] for language in definition.languages if language in first]


def _print_funnel(app: AppContext, slug: str) -> None:
    with app.session_factory() as session:
        click.echo(format_funnel(campaign_status(session, get_campaign(session, slug))))
