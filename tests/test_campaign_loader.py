"""`recall campaign load`: create or update by slug; ranges changes re-check units."""

import copy

import yaml
from sqlalchemy import func, select

from bot.campaigns.definition import parse_definition
from bot.campaigns.loader import get_campaign, load_campaign
from bot.models import AffectedRange, Campaign, ServiceRegion, Unit
from tests.factories import DEMO_CAMPAIGN

BASE = yaml.safe_load(DEMO_CAMPAIGN.read_text())


def test_load_creates_then_updates_by_slug(session_factory):
    with session_factory.begin() as s:
        first = load_campaign(s, parse_definition(BASE))
    assert first.created
    changed = copy.deepcopy(BASE)
    changed["brand"] = "Arctica Home"
    changed["service"]["regions"] = [{"postcode_prefix": "", "technicians": 3}]
    with session_factory.begin() as s:
        second = load_campaign(s, parse_definition(changed))
    assert not second.created and second.campaign_id == first.campaign_id
    with session_factory() as s:
        assert s.scalar(select(func.count(Campaign.id))) == 1
        campaign = get_campaign(s, BASE["slug"])
        assert campaign.brand == "Arctica Home"
        assert campaign.definition["service"]["regions"] == [{"postcode_prefix": "", "technicians": 3}]
        assert s.scalar(select(func.count(ServiceRegion.id))) == 1
        assert s.scalar(select(func.count(AffectedRange.id))) == 1


def test_new_ranges_reclassify_imported_units(session_factory):
    with session_factory.begin() as s:
        cid = load_campaign(s, parse_definition(BASE)).campaign_id
        s.add_all(
            [
                Unit(campaign_id=cid, serial="AR26D004512", affected=True),
                Unit(campaign_id=cid, serial="AR26H000100", affected=False),
            ]
        )
    wider = copy.deepcopy(BASE)
    wider["affected"]["ranges"] = [{"model": "FF260", "from": "AR26E000000", "to": "AR26H999999"}]
    with session_factory.begin() as s:
        result = load_campaign(s, parse_definition(wider))
    assert result.units_reclassified == 2
    with session_factory() as s:
        flags = dict(s.execute(select(Unit.serial, Unit.affected)).all())
    assert flags == {"AR26D004512": False, "AR26H000100": True}


def test_unknown_slug_names_the_loaded_ones(session_factory):
    with session_factory.begin() as s:
        load_campaign(s, parse_definition(BASE))
    with session_factory() as s:
        try:
            get_campaign(s, "nope")
        except LookupError as exc:
            assert "arctica-ff260-valve-2026" in str(exc)
        else:
            raise AssertionError("expected LookupError")
