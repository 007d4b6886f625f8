"""The demo recall (demo/campaign.yml) and its buyers (demo/buyers.csv) in a database."""

from __future__ import annotations

from bot.campaigns.definition import read_definition
from bot.campaigns.loader import load_campaign
from bot.db import make_engine, make_session_factory
from bot.importing.buyers import import_buyers
from bot.migrate import upgrade
from bot.settings import PROJECT_ROOT
from tests.support.databases import empty_database


def seed_demo(url: str, *, empty_first: bool = False) -> None:
    """Migrate the database at `url`, then load the demo campaign and import its buyers
    (`empty_first`: on a database emptied of every row first, ids restarted)."""
    engine = make_engine(url)
    upgrade(engine)
    if empty_first:
        empty_database(engine)
    factory = make_session_factory(engine)
    definition = read_definition(PROJECT_ROOT / "demo" / "campaign.yml")
    with factory.begin() as session:
        load_campaign(session, definition)
    import_buyers(factory, definition.slug, PROJECT_ROOT / "demo" / "buyers.csv")
    engine.dispose()
