"""The held-out NLU splits (tests/nlu_test.yml in English, tests/nlu_test_hi.yml in Hindi in
Devanagari, tests/nlu_test_hi_latn.yml in romanised Hindi) are never trained on and, for
Hindi and Hinglish (issue 17), cover every intent: cheap checks, no model needed. The model
on them: tests/test_rasa_model.py."""

from __future__ import annotations

import re

import pytest

from tests.held_out import (
    NLU_SETS,
    annotated_serials,
    nlu_set,
    normalised,
    plain,
    training_examples,
    training_intents,
)

HINDI_SETS = ["hi", "hi-Latn"]
MIN_MESSAGES, MIN_PER_INTENT = 150, 3
# The demo campaign's serial format and affected range (demo/campaign.yml).
SERIAL = re.compile(r"^AR26([A-Z])[0-9]{6}$")
AFFECTED_LETTERS = "CDEFG"


@pytest.mark.parametrize("language", list(NLU_SETS))
def test_the_split_was_never_trained_on(language):
    examples = [plain(m) for messages in nlu_set(NLU_SETS[language]).values() for m in messages]
    assert len(examples) == len({normalised(m) for m in examples}), "a message is listed twice"
    overlap = sorted({normalised(m) for m in examples} & training_examples())
    assert not overlap, overlap


@pytest.mark.parametrize("language", HINDI_SETS)
def test_the_split_covers_every_intent(language):
    split = nlu_set(NLU_SETS[language])
    assert sum(len(v) for v in split.values()) >= MIN_MESSAGES
    assert set(split) == set(training_intents())
    assert {intent: len(v) for intent, v in split.items() if len(v) < MIN_PER_INTENT} == {}


@pytest.mark.parametrize("language", HINDI_SETS)
def test_its_serials_are_the_campaigns(language):
    split = nlu_set(NLU_SETS[language])
    serials = [s for m in split["inform_serial"] for s in annotated_serials(m)]
    assert len(serials) >= 10
    assert all(annotated_serials(m) for m in split["inform_serial"]), "an inform_serial line without a serial"
    for serial in serials:
        match = SERIAL.match(re.sub(r"[\s-]", "", serial.upper()))
        assert match and match.group(1) in AFFECTED_LETTERS, serial
    others = [m for intent, messages in split.items() if intent != "inform_serial" for m in messages]
    assert not [m for m in others if annotated_serials(m)]
