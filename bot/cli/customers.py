"""`recall customers import FILE.csv --campaign SLUG`: load the manufacturer's buyer list."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import phonenumbers
from tqdm import tqdm

from bot.cli.context import AppContext, pass_app
from bot.importing import ImportFileError, import_buyers


@click.group("customers")
def customers() -> None:
    """The buyers of the recalled product."""


def _country(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise click.BadParameter(f"{value!r} is not a two-letter country code such as IN")
    return value.upper()


@customers.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--campaign", "campaign_slug", required=True, metavar="SLUG", help="The campaign the buyers belong to.")
@click.option(
    "--country",
    metavar="CC",
    callback=_country,
    help="Country of phone numbers written without +code (default: the campaign's country).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr (default: when stderr is a terminal).",
)
@pass_app
def import_(app: AppContext, file: Path, campaign_slug: str, country: str | None, progress: bool | None) -> None:
    """Import buyers and their units from FILE (CSV with a header row).

    Columns: name, phone, serial (required); model, purchase_date (YYYY-MM-DD), price,
    retailer, address, postcode, whatsapp_opt_in, language (optional), in any order. Rows
    that cannot be imported are written to FILE.rejects.csv with their line and reason; a
    language the campaign does not ship is a warning (the row is imported without it).
    """
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(
        total=file.stat().st_size,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=file.name,
        file=sys.stderr,
        disable=not show,
        leave=False,
    ) as bar:
        try:
            summary = import_buyers(app.session_factory, campaign_slug, file, country=country, on_progress=bar.update)
        except (ImportFileError, LookupError) as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(
        f"imported {summary.imported}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"rejected {summary.rejected} (of {summary.rows} rows)"
    )
    if summary.rejects_path is not None:
        click.echo(f"rejected rows written to {summary.rejects_path}")
    for line, reason in summary.warnings:
        click.echo(f"warning: line {line}: {reason}")
    if summary.warned > len(summary.warnings):
        click.echo(f"warning: {summary.warned - len(summary.warnings)} more rows with warnings")
