"""The trained assistant meets its bar: data valid, every test story right, and the NLU
on the held-out split (tests/nlu_test.yml, never used for training) above its targets."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.processes import RASA_BIN, RASA_ENV, train_model
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.rasa

INTENT_MACRO_F1 = 0.972  # issue 17: not lower than the 0.9721 held-out macro-F1 before Hindi and Hinglish
SERIAL_F1 = 0.98


def rasa(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RASA_BIN), *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **RASA_ENV},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def model() -> Path:
    return train_model()


def test_training_data_validates_without_warnings():
    result = rasa("data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_test_story_passes(model, tmp_path):
    result = rasa(
        "test",
        "core",
        "--model",
        str(model),
        "--stories",
        "tests/test_stories.yml",
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    report = json.loads((tmp_path / "story_report.json").read_text())
    assert report["conversation_accuracy"]["accuracy"] == 1.0
    assert report["conversation_accuracy"]["total"] >= 20


def test_nlu_on_the_held_out_split(model, tmp_path):
    result = rasa("test", "nlu", "--model", str(model), "--nlu", "tests/nlu_test.yml", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    intents = json.loads((tmp_path / "intent_report.json").read_text())
    assert intents["macro avg"]["f1-score"] >= INTENT_MACRO_F1, {
        name: round(v["f1-score"], 3) for name, v in intents.items() if isinstance(v, dict) and "f1-score" in v
    }
    entity_reports = [
        p
        for p in tmp_path.glob("*_report.json")
        if p.name not in ("intent_report.json", "response_selection_report.json")
    ]
    serial = [
        json.loads(p.read_text())["serial"]["f1-score"] for p in entity_reports if "serial" in json.loads(p.read_text())
    ]
    assert serial and max(serial) >= SERIAL_F1, serial


# Issue 17: the held-out Hindi (Devanagari) and Hinglish (romanised Hindi) sets, never
# trained on (tests/test_held_out_sets.py checks that, and that they cover every intent).
HINDI_INTENT_MACRO_F1 = 0.90
HINDI_SETS = {"hi": "tests/nlu_test_hi.yml", "hi-Latn": "tests/nlu_test_hi_latn.yml"}


@pytest.mark.parametrize("language", list(HINDI_SETS))
def test_nlu_on_the_hindi_held_out_sets(model, tmp_path, language, capsys):
    split = HINDI_SETS[language]
    result = rasa("test", "nlu", "--model", str(model), "--nlu", split, "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    intents = json.loads((tmp_path / "intent_report.json").read_text())
    macro = intents["macro avg"]["f1-score"]
    reports = [
        json.loads(p.read_text())
        for p in tmp_path.glob("*_report.json")
        if p.name not in ("intent_report.json", "response_selection_report.json")
    ]
    serial = [report["serial"]["f1-score"] for report in reports if "serial" in report]
    errors_file = tmp_path / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    with capsys.disabled():
        print(f"\nheld-out {language} ({split}): intent macro-F1 {macro:.3f}; serial F1 {max(serial, default=0):.3f}")
        for error in errors:
            print(f"  {error['text']!r}: {error['intent']} -> {error['intent_prediction']['name']}")
    assert macro >= HINDI_INTENT_MACRO_F1, {
        name: round(v["f1-score"], 3) for name, v in intents.items() if isinstance(v, dict) and "f1-score" in v
    }
