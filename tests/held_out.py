"""The held-out sets (NLU test splits and handoff sets, one per language) and the training
data they must never overlap: every NLU file under data/ (data/*.yml with an `nlu:` key),
compared as plain text (entity markup removed), case and spacing ignored."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

TESTS = Path(__file__).resolve().parent
DATA = PROJECT_ROOT / "data"

# language -> the held-out NLU test split (rasa test nlu --nlu ...)
NLU_SETS = {
    "en": TESTS / "nlu_test.yml",
    "hi": TESTS / "nlu_test_hi.yml",
    "hi-Latn": TESTS / "nlu_test_hi_latn.yml",
}
# language -> the labelled handoff set (escalate: {kind: [...]}, ordinary: [...])
HANDOFF_SETS = {
    "en": TESTS / "handoff_test.yml",
    "hi": TESTS / "handoff_test_hi.yml",
    "hi-Latn": TESTS / "handoff_test_hi_latn.yml",
}

# "[AR26D004512](serial)", "[x]{"entity": "serial"}" -> the annotated text
_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_ANNOTATED_SERIAL = re.compile(r"\[([^\]]*)\]\(serial\)")


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def plain(example: str) -> str:
    """An NLU example line without its entity markup."""
    return _MARKUP.sub(r"\1", example)


def _examples(block: str) -> list[str]:
    return [line.strip().removeprefix("- ") for line in block.splitlines() if line.strip()]


def nlu_files() -> list[Path]:
    """Every NLU training file under data/ (a YAML file with an `nlu:` key)."""
    found = []
    for path in sorted(DATA.glob("*.yml")) + sorted(DATA.glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(content, dict) and content.get("nlu"):
            found.append(path)
    return found


def training_intents() -> list[str]:
    intents: list[str] = []
    for path in nlu_files():
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in item and item["intent"] not in intents:
                intents.append(item["intent"])
    return intents


def training_examples() -> set[str]:
    """Every training example of every NLU file under data/, as normalised plain text."""
    return {
        normalised(plain(line))
        for path in nlu_files()
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
        if "examples" in item
        for line in _examples(item["examples"])
    }


def nlu_set(path: Path) -> dict[str, list[str]]:
    """intent -> its example lines (with their markup) in a held-out NLU split."""
    found: dict[str, list[str]] = {}
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if "intent" in item:
            found.setdefault(item["intent"], []).extend(_examples(item["examples"]))
    return found


def annotated_serials(example: str) -> list[str]:
    return _ANNOTATED_SERIAL.findall(example)


def handoff_set(path: Path) -> tuple[dict[str, list[str]], list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["escalate"], [str(m) for m in data["ordinary"]]
