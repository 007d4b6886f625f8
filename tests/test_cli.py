"""The `recall` command line, end to end on a real database."""

import json
import re
import shutil

import yaml

from bot.migrate import head_revision
from tests.factories import DEMO_CAMPAIGN


def test_campaign_load_then_status_json(recall):
    assert "created" in recall("campaign", "load", str(DEMO_CAMPAIGN)).output
    assert "updated" in recall("campaign", "load", str(DEMO_CAMPAIGN)).output
    status = json.loads(recall("status", "--campaign", "arctica-ff260-valve-2026", "--json").output)
    assert status["campaign"] == "arctica-ff260-valve-2026" and status["customers"] == 0
    assert "arctica-ff260-valve-2026" in recall("campaign", "list").output


def test_campaign_load_warns_of_an_sms_too_long_in_a_language(recall, tmp_path):
    clean = recall("campaign", "load", str(DEMO_CAMPAIGN))
    assert "warning" not in clean.output  # every language's notice and reminders fit their limit
    long_hint = "यह फ्रिज के दरवाज़े के अंदर, सब्ज़ी वाली ट्रे के ऊपर लगे सफ़ेद लेबल पर छपा है और AR26 से शुरू होता है।"
    text = DEMO_CAMPAIGN.read_text().replace(
        "serial_hint: यह दरवाज़े के अंदर लगे लेबल पर है और AR26 से शुरू होता है।", f"serial_hint: {long_hint}"
    )
    assert long_hint in text
    edited = tmp_path / "campaign.yml"
    edited.write_text(text)
    shutil.copy(DEMO_CAMPAIGN.parent / "serial-hint.png", tmp_path)  # its serial_hint_image
    result = recall("campaign", "load", str(edited))
    assert "updated" in result.output
    assert re.search(
        r"warning: the notice SMS in hi needs 6 segments \(UCS-2, \d+ UTF-16 units\); keep it to 5", result.output
    )


def test_misspelt_key_and_broken_regex_are_refused_by_name(recall, tmp_path):
    text = DEMO_CAMPAIGN.read_text()
    misspelt = tmp_path / "misspelt.yml"
    misspelt.write_text(text.replace("safety_advice:", "saftey_advice:"))
    result = recall("campaign", "load", str(misspelt), ok=False)
    assert result.exit_code == 1
    assert "saftey_advice: unknown key (did you mean 'safety_advice'?)" in result.output
    assert "safety_advice: required key is missing" in result.output
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace("'^AR26[A-Z][0-9]{6}$'", "'^AR26([A-Z][0-9]{6}$'"))
    result = recall("campaign", "load", str(broken), ok=False)
    assert result.exit_code == 1
    assert "affected.serial_format: not a valid regular expression" in result.output
    assert "no campaigns loaded" in recall("campaign", "list").output


def test_import_then_customer_readout_in_any_phone_format(recall, tmp_path):
    recall("campaign", "load", str(DEMO_CAMPAIGN))
    csv = tmp_path / "buyers.csv"
    csv.write_text("serial,phone,name,postcode\nar26-d 004512,98123 00001,Asha Rao,411001\n")
    out = recall("customers", "import", str(csv), "--campaign", "arctica-ff260-valve-2026", "--no-progress").output
    assert "imported 1" in out
    for written in ("+919812300001", "98123 00001", "+91-98123-00001", "0 98123 00001"):
        view = json.loads(recall("customer", written, "--json").output)
        assert view["phone"] == "+919812300001" and view["serial"] == "AR26D004512"
        assert view["verified"] is False and view["affected"] is True
    assert "Asha Rao" in recall("customer", "9812300001").output
    missing = recall("customer", "+919812300099", ok=False)
    assert missing.exit_code == 1 and "no customer with phone +919812300099" in missing.output
    bad = recall("customer", "12", ok=False)
    assert bad.exit_code == 1 and "not a valid number" in bad.output


def test_customer_readout_lists_every_unit(recall, tmp_path):
    recall("campaign", "load", str(DEMO_CAMPAIGN))
    csv = tmp_path / "buyers.csv"
    csv.write_text(
        "serial,phone,name,model\nAR26D004512,+919812300001,Asha Rao,FF260\nAR26D004513,+919812300001,Asha Rao,FF262\n"
    )
    recall("customers", "import", str(csv), "--campaign", "arctica-ff260-valve-2026", "--no-progress")
    view = json.loads(recall("customer", "+919812300001", "--json").output)
    assert [(u["serial"], u["model"], u["affected"]) for u in view["units"]] == [
        ("AR26D004512", "FF260", True),
        ("AR26D004513", "FF262", True),
    ]
    assert all(u["verified_at"] is None and u["booking"] is None and u["request"] is None for u in view["units"])
    lines = recall("customer", "+919812300001").output.splitlines()
    assert "units           2" in lines
    assert "  AR26D004512  FF260  affected  not verified" in lines
    assert "  AR26D004513  FF262  affected  not verified" in lines


def test_status_of_unknown_campaign(recall):
    result = recall("status", "--campaign", "nope", ok=False)
    assert result.exit_code == 1 and "no campaign 'nope'" in result.output


def test_db_commands(recall):
    head = head_revision()
    assert f"database at {head}" in recall("db", "upgrade").output
    assert f"database: {head}; code: {head}" in recall("db", "current").output


def test_demo_loads_campaign_and_buyers_and_prints_the_funnel(recall, tmp_path, monkeypatch):
    demo_dir = tmp_path / "demo"
    shutil.copytree(DEMO_CAMPAIGN.parent, demo_dir, ignore=shutil.ignore_patterns("*.rejects.csv"))
    monkeypatch.setattr("bot.cli.demo.DEMO_DIR", demo_dir)
    monkeypatch.setattr("bot.cli.demo.PROJECT_ROOT", tmp_path)
    first = recall("demo", "--no-chat").output
    assert "Campaign arctica-ff260-valve-2026: loaded" in first
    assert "Recall arctica-ff260-valve-2026" in first and "Correction rate" in first
    assert "rejected" in first and "line" in first
    second = recall("demo", "--no-chat").output
    assert "imported 0, updated 0" in second


def test_campaign_load_warns_of_a_language_the_bot_has_no_texts_in(recall, tmp_path):
    """A campaign may list a language the bot's catalogs do not have yet (its own texts
    translated): it loads, with a warning naming the catalog to write."""
    data = yaml.safe_load(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
    data["languages"] = [*data["languages"], "ta"]
    data["translations"]["ta"] = dict(data["translations"]["hi-Latn"])
    edited = tmp_path / "campaign.yml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(DEMO_CAMPAIGN.parent / "serial-hint.png", tmp_path)  # its serial_hint_image
    result = recall("campaign", "load", str(edited))
    assert "created" in result.output or "updated" in result.output
    assert "warning: the bot has no texts in ta (no bot/conversation/locales/ta/LC_MESSAGES/messages.po)" in (
        result.output
    )
    assert "no texts in hi" not in result.output
