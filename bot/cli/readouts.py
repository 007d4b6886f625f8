"""Read-out commands: `recall status` and `recall customer PHONE`."""

from __future__ import annotations

import json

import click

from bot.campaigns.loader import get_campaign
from bot.cli.context import AppContext, pass_app
from bot.domain.phones import InvalidPhone, normalise_phone
from bot.services.customer_view import customer_view, find_customers, unit_state
from bot.services.status import campaign_status, format_funnel


def _campaign_or_fail(session, slug: str):
    try:
        return get_campaign(session, slug)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("status")
@click.option("--campaign", "slug", required=True, help="Campaign slug.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def status(app: AppContext, slug: str, as_json: bool) -> None:
    """The recall's funnel: reached, replied, verified, booked, completed."""
    with app.session_factory() as session:
        result = campaign_status(session, _campaign_or_fail(session, slug))
    click.echo(json.dumps(result, indent=2) if as_json else format_funnel(result))


@click.command("customer")
@click.argument("phone")
@click.option("--campaign", "slug", help="Campaign slug, when the number is in several.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def customer(app: AppContext, phone: str, slug: str | None, as_json: bool) -> None:
    """One customer's state, found by PHONE in any format."""
    try:
        e164 = normalise_phone(phone, app.settings.default_country)
    except InvalidPhone as exc:
        raise click.ClickException(str(exc)) from None
    with app.session_factory() as session:
        matches = find_customers(session, e164, slug)
        if not matches:
            raise click.ClickException(f"no customer with phone {e164}" + (f" in {slug}" if slug else ""))
        if len(matches) > 1:
            raise click.ClickException(f"{e164} is a customer in several campaigns; add --campaign SLUG")
        view = customer_view(session, matches[0])
    if as_json:
        click.echo(json.dumps(view, indent=2))
        return
    for key, value in view.items():
        if key == "units":
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        click.echo(f"{key:<16}{'-' if value is None else value}")
    click.echo(f"{'units':<16}{len(view['units']) or '-'}")
    for unit in view["units"]:
        click.echo(f"  {format_unit(unit)}")


def format_unit(unit: dict) -> str:
    """One unit of `recall customer` on a line: serial, model, affected, its state."""
    state = unit_state(unit)
    parts = [unit["serial"], unit["model"] or "", "affected" if unit["affected"] else "not affected", state]
    for name in ("booking", "request"):
        if unit[name]:
            parts.append(" ".join((unit[name]["reference"], unit[name]["kind"], unit[name]["status"])))
    return "  ".join(p for p in parts if p)
