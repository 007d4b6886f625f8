"""The handoff decision on a labelled set written for it and never trained on
(tests/handoff_test.yml): the real Rasa server parses every message with the trained
classifier and the pipeline's HandoffSignals component. Acceptance (issue 6): at least
95% of the messages that need a person escalate, at most 3% of the ordinary ones do."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from bot.processes import free_port, rasa_server
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.rasa
SET = Path(__file__).resolve().parent.parent / "handoff_test.yml"
ESCALATING = {"request_human", "complain", "report_hazard"}


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _labelled() -> tuple[dict[str, list[str]], list[str]]:
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    return data["escalate"], data["ordinary"]


def _training_examples() -> set[str]:
    nlu = yaml.safe_load((PROJECT_ROOT / "data" / "nlu.yml").read_text(encoding="utf-8"))["nlu"]
    return {
        _normalised(line.removeprefix("- "))
        for item in nlu
        if "examples" in item
        for line in item["examples"].splitlines()
        if line.strip()
    }


def test_the_set_was_never_trained_on():
    escalate, ordinary = _labelled()
    every = [m for messages in escalate.values() for m in messages] + ordinary
    assert len(every) == len({_normalised(m) for m in every}), "a message is listed twice"
    assert not {_normalised(m) for m in every} & _training_examples()


@pytest.fixture(scope="module")
def parse(rasa_model) -> Iterator:
    token = secrets.token_urlsafe(12)
    server = rasa_server(free_port(), free_port(), token, rasa_model)
    server.start()
    try:
        server.wait_ready(180)
        base = server.ready_url.split("/status")[0]
        with httpx.Client(timeout=30) as client:

            def intent_of(text: str) -> dict:
                response = client.post(f"{base}/model/parse", params={"token": token}, json={"text": text})
                response.raise_for_status()
                return response.json()["intent"]

            yield intent_of
    finally:
        server.stop()


def test_handoff_decisions_on_the_labelled_set(parse, capsys):
    escalate, ordinary = _labelled()
    parsed = {kind: [(m, parse(m)) for m in messages] for kind, messages in escalate.items()}
    missed = {kind: [(m, i["name"]) for m, i in rows if i["name"] not in ESCALATING] for kind, rows in parsed.items()}
    # HandoffSignals marks the intents it chose; the rest were the classifier's own.
    by_signals = sum(1 for rows in parsed.values() for _, i in rows if "handoff" in i)
    false_alarms = [(m, i["name"], i.get("handoff")) for m in ordinary if (i := parse(m))["name"] in ESCALATING]
    total = sum(len(v) for v in escalate.values())
    escalated = total - sum(len(v) for v in missed.values())
    with capsys.disabled():
        print(
            f"\nhandoff set: {escalated}/{total} escalate ({escalated / total:.1%}; {by_signals} of them by "
            f"HandoffSignals, the rest by the classifier); {len(false_alarms)}/{len(ordinary)} ordinary "
            f"escalate ({len(false_alarms) / len(ordinary):.1%})"
        )
        for kind, rows in missed.items():
            for message, intent in rows:
                print(f"  missed ({kind}): {message!r} -> {intent}")
        for message, intent, signals in false_alarms:
            print(f"  false alarm: {message!r} -> {intent} {signals or ''}")
    assert escalated / total >= 0.95
    assert len(false_alarms) / len(ordinary) <= 0.03
