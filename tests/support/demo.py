"""The demo recall (demo/campaign.yml) and its buyers (demo/buyers.csv) in a database."""

from __future__ import annotations

from bot.campaigns.definition import read_definition
from bot.campaigns.loader import load_campaign
from bot.cli.demo_reset import reset_demo_data
from bot.db import make_engine, make_session_factory
from bot.importing.buyers import import_buyers
from bot.migrate import upgrade
from bot.settings import PROJECT_ROOT


def seed_demo(url: str) -> None:
    """Migrate the database at `url`, then load the demo campaign and import its buyers."""
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    definition = read_definition(PROJECT_ROOT / "demo" / "campaign.yml")
    with factory.begin() as session:
        load_campaign(session, definition)
    import_buyers(factory, definition.slug, PROJECT_ROOT / "demo" / "buyers.csv")
    engine.dispose()


def fresh_demo_data(url: str) -> None:
    """The demo recall as `seed_demo` leaves it, on a database that served earlier tests: the
    campaign reloaded from its file, its customers and all that hangs on them removed
    (`recall demo`'s own reset: seats freed, nothing of another recall touched), its buyers
    imported afresh."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    definition = read_definition(PROJECT_ROOT / "demo" / "campaign.yml")
    with factory.begin() as session:
        loaded = load_campaign(session, definition)
        reset_demo_data(session, loaded.campaign_id)
    import_buyers(factory, definition.slug, PROJECT_ROOT / "demo" / "buyers.csv")
    engine.dispose()
