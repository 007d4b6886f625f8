"""Time preferences in the recall form: what the customer said about when ("sunday?",
"after the 20th", "evening", "none of these work"), remembered in the slot
`time_preference` and applied when the times are offered (`ActionAskBookingSlot`).

The slot holds what was said, not what it means: `{"said": [[text, at], ...], "exclude":
[slot ids turned down], "refusals": n}` — each statement is read again at offer time,
relative to the local date it was said on (`bot.domain.time_preferences`), later ones on
top of earlier ones.

- Before the time step (the remedy, the address or the postcode is asked),
  `action_extract_time_preference` (the slot's custom mapping, run on every message while
  the form is at those steps) keeps a statement that says something about when ("I want
  the repair but I am travelling until the 20th"); the step itself handles the rest of the
  message.
- At the time step, `validate_booking_slot` (actions/recall_form.py) keeps it through
  `remember`, and the question offers the nearest fitting times (`offer_times`).
- No fitting free time within `bot.services.time_offers.SEARCH_DAYS`, or two offers turned
  down: a person arranges the time (escalation `no_suitable_time`), who can book outside
  the calendar from the console.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.base import latest_text, say
from bot.conversation import texts
from bot.conversation.understanding import INTERRUPTIONS
from bot.domain.free_text import off_script
from bot.domain.time_preferences import TimePreference, parse_time_preference
from bot.models import utcnow
from bot.services.conversations import CustomerContext
from bot.services.escalations import record_escalation
from bot.services.time_offers import offer_for_preference

SLOT = "time_preference"
REASON = "no_suitable_time"
MAX_REFUSALS = 2
# The steps before the time step at which a statement about when is remembered.
BEFORE_THE_TIME = frozenset({"remedy", "remedy_confirmed", "address_confirmed", "address", "postcode"})
MAX_SAID = 10


def _local_date(at: str, tz: dt.tzinfo) -> dt.date:
    try:
        moment = dt.datetime.fromisoformat(at)
    except (TypeError, ValueError):
        moment = utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz).date()


def wish(text: str, tz: dt.tzinfo, now: dt.datetime | None = None) -> TimePreference | None:
    """What one message says about when, read today (local)."""
    return parse_time_preference(text, (now or utcnow()).astimezone(tz).date())


def time_wish_misread(tracker: Tracker, tz: dt.tzinfo) -> bool:
    """At the time step, a wish the classifier took for an interruption ("sunday?" as a
    question, "none of these work" as a wrong person, "i'm travelling till 20th" as a
    complaint): the words win, unless the pipeline saw a real handoff signal, a hazard, or
    the customer asks for a person."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    if intent.get("name") not in INTERRUPTIONS or "handoff" in intent or intent.get("name") == "report_hazard":
        return False
    text = latest_text(tracker)
    if off_script(text) in ("person", "opt_out"):  # OffScript's values: a request for a person, an opt-out
        return False
    return wish(text, tz) is not None


def preference_of(state: dict[str, Any] | None, tz: dt.tzinfo) -> TimePreference | None:
    """Every statement kept, read on the day it was said, later ones on top."""
    merged: TimePreference | None = None
    for text, at in (state or {}).get("said") or []:
        parsed = parse_time_preference(str(text), _local_date(str(at), tz))
        if parsed is not None:
            merged = parsed if merged is None else merged.merged(parsed)
    return merged


def _latest(state: dict[str, Any], tz: dt.tzinfo) -> bool:
    """The latest statement kept says something about when (not only "none of these")."""
    said = state.get("said") or []
    if not said:
        return False
    text, at = said[-1]
    latest = parse_time_preference(str(text), _local_date(str(at), tz))
    return latest is not None and latest.constrains


def reads_as_preference_first(pref: TimePreference | None) -> bool:
    """A reply at the time step that is more than a pick: a refusal, a limit or an exclusion."""
    if pref is None:
        return False
    return bool(
        pref.wants_other_times
        or pref.not_before
        or pref.not_after
        or pref.avoid_weekdays
        or pref.from_time
        or pref.until_time
    )


def remember(state: dict[str, Any] | None, text: str, pref: TimePreference, offered: list[dict]) -> dict[str, Any]:
    """The slot's new value after `text` (read as `pref`) at the time step: kept; what was
    offered is excluded from now on when it was turned down; a plain refusal counts."""
    state = dict(state or {})
    said = [*(state.get("said") or []), [text, utcnow().isoformat()]][-MAX_SAID:]
    exclude = list(state.get("exclude") or [])
    if pref.wants_other_times:
        exclude += [o["id"] for o in offered if o.get("id") not in exclude]
    refusals = int(state.get("refusals") or 0) + (1 if pref.wants_other_times and not pref.constrains else 0)
    return {"said": said, "exclude": exclude, "refusals": refusals}


async def offer_times(
    dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext, kind: str, postcode: str | None
) -> list[dict[str, Any]] | None:
    """Offer the times for the preference kept (None when there is none: the usual offer).
    Says why the nearest are offered (not a working day, not a time of day visits have), or,
    when nothing fits or the offers were turned down twice, hands the time to a person."""
    state = tracker.get_slot(SLOT) or {}
    pref = preference_of(state, ctx.timezone)
    if pref is None:
        return None
    d, now = ctx.definition, utcnow()
    refused = int(state.get("refusals") or 0) >= MAX_REFUSALS
    offer = None
    if not refused:
        exclude = tuple(state.get("exclude") or ()) if pref.wants_other_times else ()
        offer = await runtime.in_transaction(
            lambda s: offer_for_preference(
                s, customer_id=ctx.customer_id, preference=pref, now=now, postcode=postcode, exclude_ids=exclude
            )
        )
    if offer is None or not offer.slots:
        text = latest_text(tracker)
        await runtime.in_transaction(
            lambda s: record_escalation(s, customer_id=ctx.customer_id, reason=REASON, text=text)
        )
        when = texts.reply_expectation(now, d.service.timezone, d.support_hours.hours())
        days = offer.search_days if offer is not None else 0
        say(dispatcher, texts.time_by_person(d, when, nothing_fits=offer is not None, days=days))
        return [SlotSet("offered_slots", []), SlotSet(SLOT, None)]
    said_again = pref.wants_other_times and not _latest(state, ctx.timezone)  # "none of these": no new day or time
    if offer.days_not_worked and not said_again:
        say(dispatcher, texts.working_days_only(d, sorted(offer.days_not_worked)))
    if offer.outside_hours and not said_again:
        say(dispatcher, texts.visit_hours(d))
    labels = [s.label for s in offer.slots]
    if pref.wants_other_times:
        say(dispatcher, texts.other_free_times(labels, kind))
    else:
        say(dispatcher, texts.offer_preferred_slots(labels, kind, exact=not offer.relaxed))
    return [
        SlotSet("offered_slots", [{"id": s.id, "label": s.label, "keywords": list(s.keywords)} for s in offer.slots])
    ]


class ActionExtractTimePreference(Action):
    """The custom mapping of `time_preference`: before the time step, a message that says
    something about when is kept for the offer (nothing else is done with it here)."""

    def name(self) -> str:
        return "action_extract_time_preference"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if tracker.active_loop.get("name") != "recall_form":
            return []
        if tracker.get_slot("requested_slot") not in BEFORE_THE_TIME:
            return []
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") in ("address", "postcode") and off_script(text) != "time_request":
            return []  # "Sunday Market Lane 4, Pune 411001" is an address, not a Sunday
        now = utcnow()
        pref = parse_time_preference(text, now.date())  # only whether it says when; read again at the offer
        if pref is None or not pref.constrains:  # "no" to a yes/no question is no time
            return []
        state = dict(tracker.get_slot(SLOT) or {})
        said = [*(state.get("said") or []), [text, now.isoformat()]][-MAX_SAID:]
        return [SlotSet(SLOT, {**state, "said": said})]
