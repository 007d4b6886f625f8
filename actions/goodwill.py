"""Goodwill and compensation (campaign `goodwill`): the policy explained, and a claim
recorded for a person to review (bot/services/goodwill.py). Nothing is promised that the
campaign does not offer; a recall without goodwill says so and offers a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.base import RecallAction, latest_text, say
from bot.campaigns.definition import CampaignDefinition
from bot.conversation import texts
from bot.domain.goodwill import ClaimAsk, claim_asks, claimed_amount
from bot.models import GoodwillKind, utcnow
from bot.services.conversations import CustomerContext
from bot.services.goodwill import record_claim
from bot.services.recall_state import recall_state


def covered(d: CampaignDefinition, ask: ClaimAsk) -> bool:
    return bool(d.goodwill.spoiled_food if ask is ClaimAsk.SPOILED_FOOD else d.goodwill.discount)


async def record_claims(ctx: CustomerContext, text: str) -> tuple[str | None, list[ClaimAsk]]:
    """Record what `text` claims that the campaign offers (a claim per kind); the sentence
    saying so (None: nothing claimed) and the asks the campaign does not cover."""
    d = ctx.definition
    asks = claim_asks(text)
    claims = [a for a in asks if covered(d, a)]
    if not claims:
        return None, [a for a in asks if not covered(d, a)]
    amount = claimed_amount(text)
    receipt = bool(d.goodwill.spoiled_food and d.goodwill.spoiled_food.receipt_required)
    now = utcnow()

    def work(session):
        return [
            record_claim(
                session,
                customer_id=ctx.customer_id,
                kind=GoodwillKind(ask.value),
                text=text,
                amount=amount if ask is ClaimAsk.SPOILED_FOOD else None,
                now=now,
                receipt_required=receipt and ask is ClaimAsk.SPOILED_FOOD,
            )
            for ask in claims
        ]

    outcomes = await runtime.in_transaction(work)
    line = texts.claims_recorded(
        [(o.claim.reference, o.claim.kind.value, o.claim.amount_label, o.created) for o in outcomes],
        any(o.claim.receipt_awaited for o in outcomes),
    )
    return line, [a for a in asks if not covered(d, a)]


class ActionGoodwill(RecallAction):
    """ "What do I get for the trouble?", "my food spoiled", "a discount on a new one?"."""

    def name(self) -> str:
        return "action_goodwill"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        d = ctx.definition
        if not d.goodwill.offered:
            say(dispatcher, texts.no_goodwill(d))
            return []
        recorded, not_covered = await record_claims(ctx, latest_text(tracker))
        say(dispatcher, texts.goodwill_policy(d))
        for ask in not_covered:
            say(dispatcher, texts.goodwill_not_covered(d, ask.value))
        say(dispatcher, recorded or texts.how_to_claim(d))
        if not tracker.active_loop_name and not tracker.get_slot("serial"):
            state = await runtime.read(lambda s: recall_state(s, ctx.customer_id))
            if not (state.verified_affected or state.verified_not_affected):
                say(dispatcher, texts.ask_serial(d))  # outside a form nothing re-asks: the recall's first step
        return []
