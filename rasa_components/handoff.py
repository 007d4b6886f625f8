"""`HandoffSignals`: the Rasa NLU component that decides, beside the trained classifier,
when a message needs a person (config.yml, after the intent classifier and before the
FallbackClassifier).

The classifier recognises `request_human`, `complain` and `report_hazard` from the
training data; this component adds what a classifier trained on a few hundred examples
misses: hazard words (a safety report must never hinge on the classifier), explicit
requests for a person, and unhappiness read from sentiment (VADER), shouting, "!!!" and
insults (`rasa_components.signals`). When it overrides, the message's intent becomes the
escalating one, with confidence 1.0 and the signals seen (`intent["handoff"]`), so the
rules run `action_escalate` and the escalation records why."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_components.signals import (
    ESCALATING_INTENTS,
    doubts_complaint,
    drops_escalation,
    escalation_intent,
    read_signals,
)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class HandoffSignals(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> HandoffSignals:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text:
                continue
            predicted = message.get(INTENT) or {}
            signals = read_signals(text)
            confidence = float(predicted.get("confidence") or 0.0)
            if drops_escalation(predicted.get("name"), signals) or doubts_complaint(
                predicted.get("name"), confidence, signals
            ):
                self._drop_to_next(message, predicted.get("name"))
                continue
            override = escalation_intent(predicted.get("name"), confidence, signals)
            if override is None:
                continue
            intent = {
                "name": override,
                "confidence": 1.0,
                "handoff": {
                    "reasons": signals.reasons(),
                    "sentiment": round(signals.sentiment, 3),
                    "classifier": predicted.get("name"),
                },
            }
            message.data[INTENT] = intent
            ranking = [r for r in message.data.get(INTENT_RANKING_KEY) or [] if r.get("name") != override]
            message.data[INTENT_RANKING_KEY] = [{"name": override, "confidence": 1.0}, *ranking]
        return messages

    @staticmethod
    def _drop_to_next(message: Message, dropped: str) -> None:
        """The best non-escalating intent of the ranking, with its own confidence (the
        FallbackClassifier after this component judges it as usual)."""
        ranking = [r for r in message.data.get(INTENT_RANKING_KEY) or [] if r.get("name") not in ESCALATING_INTENTS]
        if ranking:
            message.data[INTENT] = {**ranking[0], "dropped": dropped}
            message.data[INTENT_RANKING_KEY] = ranking

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
