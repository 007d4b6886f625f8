"""`recall campaign load FILE.yml` and `recall campaign list`."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import func, select

from bot.campaigns.definition import CampaignDefinitionError, read_definition
from bot.campaigns.loader import load_campaign
from bot.cli.context import AppContext, pass_app
from bot.conversation.catalog import catalog_path, has_catalog
from bot.models import AuditEvent, Campaign, Customer
from bot.outreach.notice import preview
from bot.settings import PROJECT_ROOT


@click.group("campaign")
def campaign() -> None:
    """Recall campaigns (definitions in YAML)."""


@campaign.command("load")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@pass_app
def load(app: AppContext, file: Path) -> None:
    """Create or update (by slug) the campaign defined in FILE."""
    try:
        definition = read_definition(file)
    except CampaignDefinitionError as exc:
        raise click.ClickException(str(exc)) from None
    with app.session_factory.begin() as session:
        result = load_campaign(session, definition)
        session.add(
            AuditEvent(actor="cli", action="campaign.load", detail={"slug": definition.slug, "file": str(file)})
        )
    verb = "created" if result.created else "updated"
    extra = f"; {result.units_reclassified} units re-checked against new ranges" if result.units_reclassified else ""
    click.echo(f"campaign {definition.slug} {verb}{extra}")
    for shown in preview(definition):  # the SMS lint of each language (`recall outreach preview FILE`)
        for warning in shown.warnings:
            click.echo(f"warning: the {shown.step} SMS in {shown.language} {warning}", err=True)
    for language in definition.languages:
        if not has_catalog(language):
            click.echo(
                f"warning: the bot has no texts in {language} (no {catalog_path(language).relative_to(PROJECT_ROOT)}):"
                f" its customers get the campaign's {language} texts inside English sentences (docs/languages.md)",
                err=True,
            )


@campaign.command("list")
@pass_app
def list_campaigns(app: AppContext) -> None:
    """The loaded campaigns with their number of customers."""
    with app.session_factory() as session:
        rows = session.execute(
            select(Campaign.slug, Campaign.product, func.count(Customer.id))
            .outerjoin(Customer, Customer.campaign_id == Campaign.id)
            .group_by(Campaign.id)
            .order_by(Campaign.slug)
        ).all()
    if not rows:
        click.echo("no campaigns loaded (recall campaign load FILE.yml)")
    for slug, product, customers in rows:
        click.echo(f"{slug}\t{product}\t{customers} customers")
