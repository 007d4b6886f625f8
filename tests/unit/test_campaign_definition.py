"""Campaign YAML: the documented shape is accepted; every error names its key."""

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.campaigns.definition import CampaignDefinitionError, parse_definition, read_definition
from tests.factories import definition_problems as problems

DEMO = Path(__file__).resolve().parents[2] / "demo" / "campaign.yml"
BASE = yaml.safe_load(DEMO.read_text())


def edited(path: str, value=None, *, delete=False, rename=None):
    """A copy of the demo definition with one key changed, deleted or renamed."""
    data = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    key = int(last) if last.isdigit() else last
    if rename:
        node[rename] = node.pop(key)
    elif delete:
        del node[key]
    else:
        node[key] = value
    return data


def test_the_issue_example_loads():
    definition = read_definition(DEMO)
    assert definition.slug == "arctica-ff260-valve-2026"
    assert definition.remedies.offered() == ["repair", "replacement", "refund"]
    assert definition.service.regions[0].technicians == 2
    assert definition.affected.ranges[0].serial_from == "AR26C000001"
    assert definition.outreach.max_reminders == 2


def test_minimal_definition_gets_defaults():
    data = copy.deepcopy(BASE)
    del data["outreach"], data["extended_warranty_months"], data["serial_hint"]
    definition = parse_definition(data)
    assert definition.outreach.quiet_hours.start.isoformat(timespec="minutes") == "21:00"
    assert definition.extended_warranty_months == 0


def test_times_are_clock_times_kept_as_hhmm_in_json():
    definition = parse_definition(edited("outreach.quiet_hours", {"start": "22:30", "end": "07:00"}))
    assert definition.outreach.quiet_hours.start == dt.time(22, 30)
    assert definition.to_json()["outreach"]["quiet_hours"] == {"start": "22:30", "end": "07:00"}
    # YAML reads an unquoted 21:00 as the number 1260 (base 60): refused, not 00:21
    unquoted = yaml.safe_load("start: 21:00\nend: '08:00'")
    assert "HH:MM" in problems(edited("outreach.quiet_hours", unquoted))["outreach.quiet_hours.start"]


@pytest.mark.parametrize(
    ("data", "key", "message"),
    [
        (edited("brnad", "x"), "brnad", "unknown key (did you mean 'brand'?)"),
        (edited("affected.serial_format", rename="serail_format"), "affected.serail_format", "unknown key"),
        (edited("affected.serial_format", rename="serail_format"), "affected.serial_format", "required key is missing"),
        (edited("service.slots.0.strat", "09:00"), "service.slots[0].strat", "unknown key (did you mean 'start'?)"),
        (edited("remedies.repair.duraton", 5), "remedies.repair.duraton", "unknown key"),
        (edited("affected.serial_format", "^AR26[A-Z"), "affected.serial_format", "not a valid regular expression"),
        (edited("affected.serial_format", "(unclosed"), "affected.serial_format", "not a valid regular expression"),
        (edited("service.timezone", "Mars/Olympus"), "service.timezone", "unknown timezone"),
        (edited("service.slots.0.start", "9am"), "service.slots[0].start", "HH:MM"),
        (edited("service.slots.0.end", "08:00"), "service.slots[0]", "before it starts"),
        (edited("service.regions.0.technicians", -1), "service.regions[0].technicians", "greater than or equal to 0"),
        (edited("affected.ranges.0.to", "AR26A000001"), "affected.ranges[0]", "comes after"),
        (edited("affected.ranges.0.to", "ZZ"), "affected.ranges[0]", "same length"),
        (edited("affected.ranges", []), "affected.ranges", "at least 1"),
        (edited("slug", "Not A Slug!"), "slug", "pattern"),
        (edited("hazard", delete=True), "hazard", "required key is missing"),
        (edited("remedies", {}), "remedies", "at least one"),
        (edited("outreach.whatsapp_template_sid", "template-1"), "outreach.whatsapp_template_sid", "pattern"),
        (edited("extended_warranty_months", "a year"), "extended_warranty_months", "integer"),
        (edited("support_hours", "weekdays 9 to 6"), "support_hours", "valid dictionary"),
        (edited("support_hours", {"days": [0, 7]}), "support_hours.days[1]", "less than or equal to 6"),
        (edited("support_hours", {"opens": "18:00", "closes": "09:00"}), "support_hours", "before it opens"),
        (edited("support_hours", {"open": "08:00"}), "support_hours.open", "did you mean 'opens'?"),
    ],
)
def test_errors_name_the_offending_key(data, key, message):
    found = problems(data)
    assert key in found, found
    assert message in found[key]


def test_range_outside_the_serial_format_is_refused():
    found = problems(edited("affected.serial_format", r"^XX[0-9]{9}$"))
    assert "does not match serial_format" in found["affected"]


def test_file_errors(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("slug: [unclosed\n")
    with pytest.raises(CampaignDefinitionError, match="not valid YAML") as info:
        read_definition(bad)
    assert info.value.problems[0][0].startswith("line ")
    with pytest.raises(CampaignDefinitionError, match="no such file"):
        read_definition(tmp_path / "missing.yml")
    listing = tmp_path / "list.yml"
    listing.write_text("- a\n- b\n")
    with pytest.raises(CampaignDefinitionError, match="expected a mapping"):
        read_definition(listing)


def test_error_message_lists_every_problem():
    data = edited("brnad", "x")
    data["service"]["timezone"] = "Nowhere/Land"
    with pytest.raises(CampaignDefinitionError) as info:
        parse_definition(data, "c.yml")
    text = str(info.value)
    assert text.startswith("c.yml: invalid campaign definition")
    assert "brnad: unknown key" in text and "service.timezone: unknown timezone" in text


def test_support_hours_default_and_given():
    assert read_definition(DEMO).support_hours.hours().days == frozenset(range(6))
    data = copy.deepcopy(BASE)
    data["support_hours"] = {"days": [0, 1, 2, 3, 4], "opens": "10:00", "closes": "19:30"}
    hours = parse_definition(data).support_hours.hours()
    assert hours.days == frozenset(range(5)) and str(hours.opens) == "10:00:00" and str(hours.closes) == "19:30:00"
