"""`recall booking complete REF [--failed | --missed] [--note TEXT]` (a technician's
outcome) and `recall request advance REF --to STATUS [--note TEXT]` (a replacement or
refund moving on); both audited with actor `cli`."""

from __future__ import annotations

import click

from bot.cli.context import AppContext, pass_app
from bot.models import BookingStatus, RequestStatus, utcnow
from bot.services.completion import advance_request, record_visit_outcome

ACTOR = "cli"
MOVES = [s.value for s in RequestStatus if s != RequestStatus.REQUESTED]


@click.group("booking")
def booking() -> None:
    """Repair visits and pickups."""


@booking.command("complete")
@click.argument("reference")
@click.option("--failed", is_flag=True, help="The technician came but could not complete the visit.")
@click.option("--missed", is_flag=True, help="Nobody was home (or the technician could not come).")
@click.option("--note", help="The technician's note, kept with the booking and in the audit log.")
@pass_app
def complete(app: AppContext, reference: str, failed: bool, missed: bool, note: str | None) -> None:
    """Record the outcome of the booked visit REFERENCE (completed unless --failed or --missed).

    A completed repair completes the customer's remedy; a completed pickup marks its
    replacement/refund picked up; after a failed or missed visit the customer can book again.
    """
    if failed and missed:
        raise click.UsageError("--failed and --missed: choose one.")
    status = BookingStatus.FAILED if failed else BookingStatus.MISSED if missed else BookingStatus.COMPLETED
    result = app.in_transaction(
        lambda session: record_visit_outcome(session, reference, status, note=note, actor=ACTOR, now=utcnow())
    )
    if not result.ok:
        raise click.ClickException(result.message)
    click.echo(result.message)


@click.group("request")
def request() -> None:
    """Replacement and refund requests."""


@request.command("advance")
@click.argument("reference")
@click.option(
    "--to",
    "to_status",
    required=True,
    type=click.Choice(MOVES),
    help="scheduled: pickup arranged; picked_up: old unit collected; done: delivered or paid.",
)
@click.option("--note", help="Why (required for a refund paid without collecting the unit).")
@pass_app
def advance(app: AppContext, reference: str, to_status: str, note: str | None) -> None:
    """Move the replacement or refund REFERENCE to another status.

    requested → scheduled → picked_up → done, or cancelled before the unit is collected;
    a refund may go from requested to done with a --note saying why no unit is collected.
    """
    result = app.in_transaction(
        lambda session: advance_request(session, reference, to_status, actor=ACTOR, now=utcnow(), note=note)
    )
    if not result.ok:
        raise click.ClickException(result.message)
    click.echo(result.message)
