"""`recall demo`: load the demo recall and its buyers, then show where the recall stands."""

from __future__ import annotations

import click

from bot.campaigns.definition import read_definition
from bot.campaigns.loader import get_campaign, load_campaign
from bot.cli.context import AppContext, pass_app
from bot.importing.buyers import import_buyers
from bot.settings import PROJECT_ROOT
from bot.services.status import campaign_status, format_funnel

DEMO_DIR = PROJECT_ROOT / "demo"


@click.command("demo")
@pass_app
def demo(app: AppContext) -> None:
    """Load demo/campaign.yml and demo/buyers.csv into the database and print the funnel."""
    definition = read_definition(DEMO_DIR / "campaign.yml")
    with app.session_factory.begin() as session:
        created = load_campaign(session, definition).created
    click.echo(f"Database: {app.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Campaign {definition.slug}: {'loaded' if created else 'already loaded, updated'}")
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
    with app.session_factory() as session:
        click.echo(format_funnel(campaign_status(session, get_campaign(session, definition.slug))))
