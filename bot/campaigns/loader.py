"""Create or update a campaign (by slug) from its validated definition."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.campaigns.definition import CampaignDefinition
from bot.domain.serials import is_affected
from bot.models import AffectedRange, Campaign, ServiceRegion, Unit


@dataclass(frozen=True)
class LoadResult:
    campaign_id: int
    created: bool
    units_reclassified: int


def load_campaign(session: Session, definition: CampaignDefinition) -> LoadResult:
    """Upsert the campaign named by `definition.slug`; ranges and regions are replaced,
    and units already imported are re-checked against the (possibly new) ranges."""
    campaign = session.scalar(select(Campaign).where(Campaign.slug == definition.slug))
    created = campaign is None
    if campaign is None:
        campaign = Campaign(slug=definition.slug)
        session.add(campaign)
    campaign.brand = definition.brand
    campaign.sender_name = definition.sender_name
    campaign.product = definition.product
    campaign.hazard = definition.hazard
    campaign.safety_advice = definition.safety_advice
    campaign.serial_format = definition.affected.serial_format
    campaign.extended_warranty_months = definition.extended_warranty_months
    campaign.timezone = definition.service.timezone
    campaign.definition = definition.to_json()
    _store_hint_image(campaign, definition)
    # Replace ranges and regions: delete the old rows first (unique per prefix).
    campaign.ranges.clear()
    campaign.regions.clear()
    session.flush()
    campaign.ranges = [
        AffectedRange(model=r.model, serial_from=r.serial_from, serial_to=r.serial_to)
        for r in definition.affected.ranges
    ]
    campaign.regions = [
        ServiceRegion(postcode_prefix=r.postcode_prefix, technicians=r.technicians) for r in definition.service.regions
    ]
    session.flush()
    return LoadResult(campaign.id, created, 0 if created else _reclassify_units(session, campaign.id, definition))


def _store_hint_image(campaign: Campaign, definition: CampaignDefinition) -> None:
    """The picture's bytes beside the definition. A definition naming a file it was not
    read with (parsed from data, not `read_definition`) is stored without the picture:
    the stored definition names a file only when its bytes are stored, so the bot never
    sends Twilio a URL that answers 404 (Twilio would fail the whole message)."""
    image = definition.serial_hint_file
    if definition.names_hint_file and image is None:
        campaign.definition = {**campaign.definition, "serial_hint_image": None}
    campaign.serial_hint_image = image.content if image else None
    campaign.serial_hint_image_type = image.content_type if image else None


def _reclassify_units(session: Session, campaign_id: int, definition: CampaignDefinition) -> int:
    ranges = definition.affected.serial_ranges()
    changed = 0
    rows = session.execute(select(Unit.id, Unit.serial, Unit.affected).where(Unit.campaign_id == campaign_id))
    flips: dict[bool, list[int]] = {True: [], False: []}
    for unit_id, serial, affected in rows:
        now_affected = is_affected(serial, ranges)
        if now_affected != affected:
            flips[now_affected].append(unit_id)
            changed += 1
    for value, ids in flips.items():
        for start in range(0, len(ids), 1000):
            session.execute(update(Unit).where(Unit.id.in_(ids[start : start + 1000])).values(affected=value))
    return changed


def get_campaign(session: Session, slug: str) -> Campaign:
    campaign = session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        known = ", ".join(session.scalars(select(Campaign.slug).order_by(Campaign.slug))) or "none"
        raise LookupError(f"no campaign {slug!r} (loaded campaigns: {known})")
    return campaign
