"""The handoff decision on labelled sets written for it and never trained on, one per
language (tests/handoff_test.yml in English, tests/handoff_test_hi.yml in Hindi in
Devanagari, tests/handoff_test_hi_latn.yml in romanised Hindi): the real Rasa server parses
every message with the trained classifier and the pipeline's HandoffSignals component.
Acceptance (issue 6, and issue 17 for Hindi and Hinglish): in each set at least 95% of the
messages that need a person escalate, at most 3% of the ordinary ones do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.processes import nlu_parser
from tests.held_out import HANDOFF_SETS, handoff_set, normalised, training_examples

pytestmark = pytest.mark.rasa
ESCALATING = {"request_human", "complain", "report_hazard"}
# The smallest sets issue 17 accepts for a language (the English set is larger).
MIN_ESCALATE, MIN_ORDINARY = 60, 80

by_set = pytest.mark.parametrize("language", list(HANDOFF_SETS))


@by_set
def test_the_set_was_never_trained_on(language):
    escalate, ordinary = handoff_set(HANDOFF_SETS[language])
    every = [m for messages in escalate.values() for m in messages] + ordinary
    assert len(every) == len({normalised(m) for m in every}), "a message is listed twice"
    overlap = sorted({normalised(m) for m in every} & training_examples())
    assert not overlap, overlap
    assert sum(len(v) for v in escalate.values()) >= MIN_ESCALATE
    assert len(ordinary) >= MIN_ORDINARY
    assert {"angry", "person", "hazard"} <= set(escalate)


@pytest.fixture(scope="module")
def parse(rasa_model) -> Iterator:
    with nlu_parser(rasa_model, ready_seconds=180) as parsed:
        yield lambda text: parsed(text)["intent"]


@by_set
def test_handoff_decisions_on_the_labelled_set(language, parse, capsys):
    escalate, ordinary = handoff_set(HANDOFF_SETS[language])
    parsed = {kind: [(m, parse(m)) for m in messages] for kind, messages in escalate.items()}
    missed = {kind: [(m, i["name"]) for m, i in rows if i["name"] not in ESCALATING] for kind, rows in parsed.items()}
    # HandoffSignals marks the intents it chose; the rest were the classifier's own.
    by_signals = sum(1 for rows in parsed.values() for _, i in rows if "handoff" in i)
    false_alarms = [(m, i["name"], i.get("handoff")) for m in ordinary if (i := parse(m))["name"] in ESCALATING]
    total = sum(len(v) for v in escalate.values())
    escalated = total - sum(len(v) for v in missed.values())
    with capsys.disabled():
        print(
            f"\nhandoff set ({language}): {escalated}/{total} escalate ({escalated / total:.1%}; {by_signals} of "
            f"them by HandoffSignals, the rest by the classifier); {len(false_alarms)}/{len(ordinary)} ordinary "
            f"escalate ({len(false_alarms) / len(ordinary):.1%})"
        )
        for kind, rows in missed.items():
            for message, intent in rows:
                print(f"  missed ({kind}): {message!r} -> {intent}")
        for message, intent, signals in false_alarms:
            print(f"  false alarm: {message!r} -> {intent} {signals or ''}")
    assert escalated / total >= 0.95
    assert len(false_alarms) / len(ordinary) <= 0.03
