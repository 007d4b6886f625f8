"""Customer-facing texts. Plain functions of the campaign definition and a few facts,
so the same trained bot serves any recall and every text is unit-tested.

SMS has no buttons: every choice is a numbered list.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.campaigns.definition import CampaignDefinition
from bot.domain.refunds import format_money
from bot.domain.support_hours import describe
from bot.domain.units import ordinal

REMEDY_ORDER = ("repair", "replacement", "refund")


def intro(d: CampaignDefinition, first_name: str, notified: bool) -> str:
    """The first bot turn of a conversation: apology, thanks, what happens next."""
    hello = f"Hello {first_name}, this is {d.sender_name}." if first_name else f"Hello, this is {d.sender_name}."
    if notified:
        return (
            f"{hello} Thank you for replying, and thank you for choosing {d.brand}. We are sorry about "
            f"the fault in your {d.product}. Next: we check your serial number, then arrange a free fix."
        )
    return (
        f"{hello} We are sorry: we have found a fault in some {d.product} units and are recalling them. "
        f"Thank you for choosing {d.brand}. Next: we check your serial number, then you choose a free "
        f"fix that suits you."
    )


def ask_serial(d: CampaignDefinition) -> str:
    return f"Please send the serial number of your {d.product}. {d.serial_hint}"


def example_serial(d: CampaignDefinition) -> str:
    return d.affected.ranges[0].serial_from


def serial_malformed(d: CampaignDefinition, shown: str | None) -> str:
    what = f"{shown} doesn't look like" if shown else "I couldn't find"
    return (
        f"Sorry, {what} a serial number for this recall. It has {len(example_serial(d))} letters and "
        f"digits, like {example_serial(d)}."
    )


def serial_unknown(serial: str) -> str:
    return f"Sorry, I can't find serial {serial} in our records. Please check it on the label and send it again."


def did_you_mean(suggestion: str) -> str:
    return f"Did you mean {suggestion}? Reply YES or NO."


def serial_affected(d: CampaignDefinition, serial: str) -> str:
    return (
        f"Thank you. Your unit {serial} is one of the affected {d.product} units. We're sorry for the "
        f"trouble. {d.safety_advice}"
    )


def serial_not_affected(d: CampaignDefinition, serial: str) -> str:
    return (
        f"Good news: your unit {serial} is not affected by this recall, so there is nothing you need to "
        f"do. Thank you for checking, and for choosing {d.brand}."
    )


def offer_human_after_failures() -> str:
    return (
        "I still couldn't verify that serial number. Would you like a person from our team to help? "
        "Reply YES, or send the serial number again."
    )


def offer_human_after_fallback() -> str:
    return "I'm sorry, I still don't understand. Would you like a person from our team to help? Reply YES or NO."


def rephrase() -> str:
    return "Sorry, I didn't understand that. Could you say it another way?"


def remedy_labels(d: CampaignDefinition) -> list[tuple[str, str]]:
    return [(key, getattr(d.remedies, key).label) for key in REMEDY_ORDER if getattr(d.remedies, key)]


def numbered(options: Sequence[str]) -> str:
    return "\n".join(f"{i}. {label}" for i, label in enumerate(options, start=1))


def ask_remedy(d: CampaignDefinition) -> str:
    labels = [label for _, label in remedy_labels(d)]
    return f"Which would you like? Reply with a number:\n{numbered(labels)}"


def remedy_not_understood(d: CampaignDefinition) -> str:
    return f"Please reply with a number from 1 to {len(remedy_labels(d))}."


def confirm_request(d: CampaignDefinition, remedy: str, amount_text: str | None) -> str:
    if remedy == "refund":
        value = f" of {amount_text}" if amount_text else " of the purchase price"
        return (
            f"You chose a refund{value}. We collect the {d.product} from your home first. "
            "Reply YES to confirm, or NO to choose something else."
        )
    return (
        f"You chose {d.remedies.replacement.label.lower() if d.remedies.replacement else 'a replacement'}. "
        f"We deliver it and take the old {d.product} away. Reply YES to confirm, or NO to choose something else."
    )


def confirm_address(address: str) -> str:
    return f"Is this the right address for the visit?\n{address}\nReply YES or NO."


def reply_yes_or_no() -> str:
    """A yes/no question answered with neither."""
    return "Please reply YES or NO."


def ok() -> str:
    """A suggestion turned down: the question comes again."""
    return "OK."


ADDRESS_EXAMPLES = {
    "IN": "Flat 4B, Shanti Apartments, Baner Road, Pune 411045",
    "US": "1420 Elm Street, Apt 3, Austin TX 78701",
    "GB": "10 High Street, Leeds LS1 4AP",
}


def not_an_address(country: str) -> str:
    """A reply to the address question that is not an address: asked again with an example."""
    example = ADDRESS_EXAMPLES.get(country.upper(), "12 Main Street, City, postcode")
    return (
        "Sorry, that doesn't look like an address. Please send the house or flat number, street and town, "
        f"e.g. {example}"
    )


def time_chosen_next() -> str:
    """A day or time asked for while the address is asked: the times come next."""
    return "You can choose the day in the next step."


def address_first() -> str:
    """A question the bot cannot answer while the address is asked."""
    return "I'll need the address first; you can ask me again after that."


def remedy_already_chosen(d: CampaignDefinition, remedy: str) -> str:
    """The remedy named while the address is asked is the one already chosen."""
    label = next((label for key, label in remedy_labels(d) if key == remedy), remedy)
    return f"Yes, you have chosen: {label}."


def remedy_switched(d: CampaignDefinition, remedy: str) -> str:
    """The customer changed the remedy while the address was asked (before booking)."""
    label = next((label for key, label in remedy_labels(d) if key == remedy), remedy)
    return f"OK, you'd like this instead: {label}."


def unknown_conversation() -> str:
    """No customer behind the conversation (the database does not answer, or a stray number)."""
    return "Sorry, I can't find your details right now. Please try again in a few minutes."


def ask_address() -> str:
    return "Please send the full address for the visit, including the postcode."


def ask_postcode() -> str:
    return "Thanks. What is the postcode of that address?"


def invalid_postcode() -> str:
    return "Sorry, that doesn't look like a postcode. Please send just the postcode."


def offer_slots(labels: Sequence[str], kind: str) -> str:
    what = "a technician can visit" if kind == "repair" else "we can collect it"
    return f"These are the next free times {what}. Reply with a number:\n{numbered(labels)}"


def _day_span(days: Sequence[int]) -> str:
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    days = sorted(set(days))
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[days[0]]} to {names[days[-1]]}"
    return " or ".join(", ".join(names[d] for d in days).rsplit(", ", 1)) if days else ""


def working_days_only(d: CampaignDefinition, not_worked: Sequence[int]) -> str:
    """A day asked for ("sunday?") that is not a working day of the service calendar."""
    return f"Our technicians visit {_day_span(d.service.working_days)}, not on {_day_span(not_worked)}."


def visit_hours(d: CampaignDefinition) -> str:
    """A time of day asked for ("evening?") that no daily slot of the calendar has."""
    hours = " or ".join(f"{s.start:%H:%M}–{s.end:%H:%M}" for s in d.service.slots)
    return f"Visits are at these times of day: {hours}."


def offer_preferred_slots(labels: Sequence[str], kind: str, *, exact: bool) -> str:
    """The free times for the day or time the customer asked for (`exact`), else the nearest."""
    what = "a technician can visit" if kind == "repair" else "we can collect it"
    if exact:
        return f"These are the free times {what} that fit. Reply with a number:\n{numbered(labels)}"
    return (
        f"These are the nearest free times {what}. Reply with a number, or tell me another day or time:\n"
        f"{numbered(labels)}"
    )


def other_free_times(labels: Sequence[str], kind: str) -> str:
    """'None of these work': the next free times not offered yet."""
    what = "a technician can visit" if kind == "repair" else "we can collect it"
    return (
        f"Here are other free times {what}. Reply with a number, or tell me a day or time that suits you:\n"
        f"{numbered(labels)}"
    )


def time_by_person(d: CampaignDefinition, when: str, *, nothing_fits: bool, days: int) -> str:
    """No free time fits (within `days`), or the customer turned the offers down twice:
    a person arranges the time (an escalation, `no_suitable_time`)."""
    hours = "" if when == "shortly" else f" (our hours: {describe(d.support_hours.hours())})"
    why = (
        f"Sorry, I can't find a free time that fits in the next {days} days."
        if nothing_fits
        else "Sorry these times don't suit you."
    )
    return f"{why} I've asked a person from our team to arrange a time with you; they will reply here {when}{hours}."


def slot_not_understood(count: int) -> str:
    return f"Please reply with a number from 1 to {count}, or say which day or time you prefer."


def slot_taken() -> str:
    return "Sorry, that time was just taken by someone else."


def no_free_slots(d: CampaignDefinition) -> str:
    return (
        f"Sorry, there are no free times in the next {d.service.days_ahead} days for your area. "
        "I've asked a person from our team to contact you to arrange it."
    )


def repair_booked(d: CampaignDefinition, reference: str, when: str, address: str | None) -> str:
    duration = d.remedies.repair.duration_minutes if d.remedies.repair else None
    takes = f" The repair takes about {duration} minutes." if duration else ""
    where = f" at {address}" if address else ""
    return (
        f"Booked. Your reference is {reference}: a technician visits {when}{where}. It is free of charge.{takes} "
        "To change it, reply 'change time'; to cancel, reply 'cancel booking'."
    )


def request_booked(d: CampaignDefinition, remedy: str, reference: str, when: str, amount_text: str | None) -> str:
    if remedy == "refund":
        amount = f" of {amount_text}" if amount_text else ""
        after = f"Your refund{amount} is paid within {d.refund_days or 7} days after we collect the {d.product}."
    else:
        after = f"We bring your new {d.product} and take the old one away."
    return f"Confirmed. Your reference is {reference}: pickup {when}. {after} To change the time, reply 'change time'."


def rescheduled(reference: str, when: str) -> str:
    return f"Done. Booking {reference} is now {when}."


def warranty_offer(d: CampaignDefinition) -> str | None:
    if not d.extended_warranty_months:
        return None
    return (
        f"As a thank-you, we extend the warranty of your {d.product} by {d.extended_warranty_months} months, "
        "free of charge."
    )


def booking_status(reference: str, kind: str, when: str) -> str:
    what = "a technician visits" if kind == "repair" else "we collect the old unit"
    return (
        f"Your booking {reference} is confirmed: {what} {when}. "
        "To change it, reply 'change time'; to cancel, reply 'cancel booking'."
    )


def remedy_complete(d: CampaignDefinition) -> str:
    return (
        f"The fix for your {d.product} is complete: there is nothing more to arrange. If anything is "
        f"still wrong, tell me here and a person from {d.brand} will help."
    )


def unit_collected(remedy: str, reference: str) -> str:
    what = "your new unit is on its way" if remedy == "replacement" else "your refund is being paid"
    return f"We have collected the old unit ({reference}) and {what}. We will message you here when it is done."


def no_booking() -> str:
    return "I can't find an upcoming booking for you."


def confirm_cancel(reference: str, when: str) -> str:
    return f"Cancel booking {reference} ({when})? Reply YES to cancel or NO to keep it."


def cancelled(reference: str) -> str:
    return f"Booking {reference} is cancelled. The repair stays free: message us any time to book again."


def kept_booking(reference: str) -> str:
    return f"OK, booking {reference} stays as it is."


def answer(d: CampaignDefinition, question: str) -> str:
    """The answer to a question intent, from the campaign; a missing field offers a person."""
    repair = d.remedies.repair
    if question == "ask_defect":
        return d.hazard
    if question == "ask_safety":
        return d.safety_advice
    if question == "ask_cost":
        return "It costs you nothing: the repair, replacement or refund, the visit and any parts are free."
    if question == "ask_duration":
        if repair and repair.duration_minutes:
            return f"The repair at your home takes about {repair.duration_minutes} minutes."
        return "The technician will tell you when they book the visit; most repairs are done in one visit."
    if question == "bot_challenge":
        return (
            f"I'm the automated assistant of {d.sender_name}. Reply PERSON any time to talk to a person from our team."
        )
    if question in _CAMPAIGN_ANSWERS:
        return _CAMPAIGN_ANSWERS[question](d) or answer_unknown()
    raise ValueError(f"no answer for {question}")


def answer_unknown() -> str:
    """A question the campaign has no answer for: a person answers it."""
    return "I don't have that information here. Reply PERSON and a person from our team will answer it."


def when_done(
    d: CampaignDefinition,
    remedy: str | None,
    *,
    when: str | None = None,
    reference: str | None = None,
    complete: bool = False,
) -> str:
    """The answer to "when will it be fixed?", from where the customer stands: the remedy chosen and
    its booked visit (`when`, `reference`); no remedy yet: each remedy with its time."""
    repair = d.remedies.repair
    minutes = f" (about {repair.duration_minutes} minutes)" if repair and repair.duration_minutes else ""
    if complete:
        return remedy_complete(d)
    booked = f" Your visit is booked for {when} (reference {reference})." if when else ""
    if remedy == "repair":
        if when:
            return f"The technician fixes it at the visit booked for {when}{minutes}, reference {reference}."
        return (
            f"The technician fixes it at home in one visit{minutes}, at a time you choose: "
            "choose a time and it is booked."
        )
    if remedy == "refund":
        return (_refund_time(d) or answer_unknown()) + booked
    if remedy == "replacement":
        return (_replacement_time(d) or answer_unknown()) + booked
    ways = []
    if repair:
        ways.append(f"a free repair at your home is done in one visit{minutes}, on a day you choose")
    if d.remedies.replacement and d.replacement_days:
        ways.append(f"a new one is delivered within {d.replacement_days} days after you book")
    if d.remedies.refund and d.refund_days:
        ways.append(f"a refund reaches your account within {d.refund_days} days after we collect the {d.product}")
    if not ways:
        return answer_unknown()
    return f"That depends on what you choose: {'; '.join(ways)}."


def _who_is_this(d: CampaignDefinition) -> str:
    return (
        f"This is {d.sender_name}, the customer care of {d.brand}, about a free recall of the {d.product}. "
        "I'm an automated assistant; reply PERSON any time to talk to a person."
    )


def _official_contact(d: CampaignDefinition) -> str | None:
    ways = [
        w
        for w in (d.contact.website and f"visit {d.contact.website}", d.contact.phone and f"call {d.contact.phone}")
        if w
    ]
    return " or ".join(ways) or None


def _is_it_real(d: CampaignDefinition) -> str | None:
    check = _official_contact(d)
    if not check:
        return None
    return (
        f"Yes, this is a genuine {d.brand} recall. To check, {check}. We never ask for a payment, card or bank details."
    )


def _how_got_number(d: CampaignDefinition) -> str | None:
    if not d.data_source:
        return None
    return f"We got your number {d.data_source}, only to reach owners of the {d.product} about this recall."


def _about_data(d: CampaignDefinition) -> str | None:
    return d.privacy


def _what_to_do(d: CampaignDefinition) -> str:
    options = " or ".join(label.lower() for _, label in remedy_labels(d))
    return (
        f"Just send us the serial number of your {d.product}; we check whether it is affected, "
        f"and if it is you choose: {options}. It is all free."
    )


def _refund_time(d: CampaignDefinition) -> str | None:
    if not d.remedies.refund:
        return "This recall does not offer a refund; I can tell you about the other options."
    if not d.refund_days:
        return None
    return f"The refund reaches your account within {d.refund_days} days after we collect the {d.product}."


def _replacement_time(d: CampaignDefinition) -> str | None:
    if not d.remedies.replacement:
        return "This recall does not offer a replacement; I can tell you about the other options."
    if not d.replacement_days:
        return None
    return (
        f"The new {d.product} is delivered within {d.replacement_days} days after you book, "
        "and we take the old one away at the same time."
    )


def _warranty(d: CampaignDefinition) -> str | None:
    extended = warranty_offer(d)
    return " ".join(t for t in (d.warranty, extended) if t) or None


def _visit(d: CampaignDefinition) -> str | None:
    repair = d.remedies.repair
    home = {
        True: "Someone aged 18 or over needs to be at home during the visit.",
        False: "Nobody needs to be at home, as long as the technician can reach it.",
        None: None,
    }[d.visit.someone_home]
    duration = f"It takes about {repair.duration_minutes} minutes." if repair and repair.duration_minutes else None
    return " ".join(t for t in (d.visit.what_happens, home, duration) if t) or None


_CAMPAIGN_ANSWERS = {
    "ask_who_is_this": _who_is_this,
    "ask_is_it_real": _is_it_real,
    "ask_how_got_number": _how_got_number,
    "ask_about_data": _about_data,
    "ask_what_to_do": _what_to_do,
    "ask_refund_time": _refund_time,
    "ask_replacement_time": _replacement_time,
    "ask_warranty": _warranty,
    "ask_visit": _visit,
}
QUESTION_INTENTS = ("ask_defect", "ask_safety", "ask_cost", "ask_duration", "bot_challenge", *_CAMPAIGN_ANSWERS)


def wrong_person(d: CampaignDefinition) -> str:
    return (
        "Thank you for letting us know, and sorry for the trouble. "
        f"We won't contact this number again about this {d.brand} recall."
    )


def confirm_wrong_person(d: CampaignDefinition) -> str:
    """Asked before a wrong person is recorded: only a yes stops the messages."""
    return (
        f"Just to check: this number is not the owner of the {d.brand} {d.product}? "
        "Reply YES to stop messages about this recall, or tell us what you need."
    )


def not_wrong_person() -> str:
    """The customer said no to the wrong-person question: the recall goes on."""
    return "Thank you, we'll carry on."


# ---------------------------------------------------------------------- situations (actions/situations.py)


def _fault(d: CampaignDefinition) -> str:
    return d.hazard.rstrip(".") + "."


def repaired_elsewhere(d: CampaignDefinition, booked: bool) -> str:
    """A repair by someone else: it does not remove the recall fault; the free fix is offered."""
    keep = "We recommend keeping your free visit." if booked else "Our fix is free of charge, so let's arrange it."
    return (
        f"Thank you for telling us. A repair elsewhere does not fix the fault this recall is about, even if "
        f"the {d.product} works now: {_fault(d)} {keep}"
    )


def works_fine(d: CampaignDefinition, booked: bool) -> str:
    """It works: the fault can appear later without warning; the free fix is offered."""
    keep = (
        "We recommend keeping your free visit."
        if booked
        else "The fix is free, so we recommend it even if it works now."
    )
    return f"Good to hear it works. The fault can appear later without warning: {_fault(d)} {keep}"


def moved(d: CampaignDefinition) -> str:
    """Moved house before anything is booked: the recall goes on at the new address."""
    return "Thanks for letting us know. The recall goes with you: the fix is free at your new address too."


def moved_with_booking(reference: str, address: str | None) -> str:
    """Moved house after a visit or pickup was booked at the old address."""
    where = f" at {address}" if address else ""
    return (
        f"Thanks for letting us know. Booking {reference} is{where}. To have it at your new address, reply "
        "'cancel booking' and then book again with the new address, or reply PERSON and our team will move it."
    )


def household_member(d: CampaignDefinition) -> str:
    """Someone of the buyer's household (not a wrong person): they can arrange the fix."""
    return (
        f"Thank you. Anyone in the household can arrange the free fix for the {d.product}, so let's carry on with you."
    )


def travelling(booked: bool) -> str:
    """Travelling, said outside the booking step: the offer stays open."""
    later = (
        "To move your booking to after you're back, reply 'change time'."
        if booked
        else "You can book a date for after you're back now, or simply message us here when you're back."
    )
    return f"No problem, safe travels. The free fix stays open for you, with no deadline. {later}"


def travelling_at_booking() -> str:
    """Travelling, said while times are offered: a later day can be asked for."""
    return (
        "No problem. The free fix stays open for you: pick a time after you're back, or tell me the day you're "
        "back (e.g. 'after the 20th')."
    )


_DISPOSITION_QUESTIONS = {
    "sold": "you sold it?",
    "given_away": "you gave it away?",
    "disposed": "you threw it away or scrapped it?",
}
_DISPOSITION_DONE = {"sold": "you sold", "given_away": "you gave away", "disposed": "you threw away"}


def confirm_disposition(d: CampaignDefinition, disposition: str | None, serial: str) -> str:
    """Asked before a unit is recorded as gone: only a yes records it."""
    if disposition is None:
        return (
            f"Just to check: you no longer have the {d.product} (serial {serial})? Did you sell it, give it away or "
            "throw it away? Reply SOLD, GAVE or THREW, or NO if you still have it."
        )
    question = _DISPOSITION_QUESTIONS[disposition]
    return f"Just to check: you no longer have the {d.product} (serial {serial}): {question} Reply YES or NO."


def confirm_disposition_which(d: CampaignDefinition, disposition: str | None, serials: Sequence[str]) -> str:
    """Several units on file and the message did not say which one is gone."""
    how = f" {_DISPOSITION_QUESTIONS[disposition][:-1]}" if disposition else ""
    return (
        f"Just to check: you no longer have one of your {d.product} units{how and ':' + how}? Reply with its "
        f"number, or NO if you still have them all:\n{numbered(serials)}"
    )


def disposition_recorded(
    d: CampaignDefinition, disposition: str, serial: str, booking_reference: str | None = None
) -> str:
    """The unit is recorded as gone: what the recall offers then (`disposed_units`)."""
    offer = d.disposed_units or (
        f"Please pass this recall notice to whoever has the {d.product} now: the fix is free for them too."
    )
    booked = (
        f" Booking {booking_reference} is still on: reply 'cancel booking' if it is no longer needed."
        if booking_reference
        else ""
    )
    done = _DISPOSITION_DONE[disposition]
    return f"Thank you, we have noted that {done} the {d.product} (serial {serial}). {offer}{booked}"


def disposition_without_unit(d: CampaignDefinition) -> str:
    """No unit is on file for this customer: nothing to record, the offer is said."""
    offer = d.disposed_units or (
        f"Please pass this recall notice to whoever has the {d.product} now: the fix is free for them too."
    )
    return f"Thank you for letting us know. {offer}"


def disposition_kept() -> str:
    """No to the disposition question: nothing is recorded."""
    return "OK, nothing is changed: the unit stays on your recall. Let's carry on."


def escalated(d: CampaignDefinition, reason: str, when: str) -> str:
    """The last thing the bot says before a person takes over; `when` from
    `bot.domain.support_hours.reply_expectation` ('shortly', 'from 09:00 tomorrow')."""
    if reason == "report_hazard":
        return (
            f"Thank you for telling us. For your safety: {d.safety_advice} A person from our team will "
            "contact you urgently."
        )
    hours = "" if when == "shortly" else f" (our hours: {describe(d.support_hours.hours())})"
    if reason == "system_error":
        return f"Sorry, something went wrong on our side. A person from {d.brand} will reply to you here {when}{hours}."
    if reason == "complain":
        return (
            f"I'm sorry we let you down. I've passed this to a person from our team, who will reply here {when}{hours}."
        )
    if reason == "low_feedback":
        return (
            f"I'm sorry it didn't go well. I've passed this to a person from our team, who will reply here "
            f"{when}{hours}."
        )
    return f"OK. A person from our team will reply here {when}{hours}."


def system_error_without_campaign() -> str:
    """The apology for a failure of ours when not even the customer's recall could be read."""
    return "Sorry, something went wrong on our side. A person from our team will reply to you here."


def human_declined() -> str:
    return "OK. Let's carry on."


def thanks_back() -> str:
    return "You're welcome."


def goodbye(d: CampaignDefinition) -> str:
    return f"Thank you for your time. {d.sender_name} is here if you need anything."


def not_affected_but_faulty(d: CampaignDefinition) -> str:
    """An unaffected unit whose owner reports a fault: not dismissed with "nothing to do"."""
    call = f", or call {d.contact.phone}" if d.contact.phone else ""
    return (
        f"You say it isn't working properly, though: that fault is not part of this recall, but our service "
        f"team can still help. Reply PERSON and a person from {d.brand} will help you{call}."
    )


def remedy_not_covered(d: CampaignDefinition, serials: Sequence[str]) -> str:
    """A remedy asked for when every unit the customer sent is outside the recall."""
    units = _listed(serials)
    verb = "is" if len(serials) == 1 else "are"
    return (
        f"{units} {verb} not part of this recall, so the free repair, replacement or refund does not apply. "
        f"If it has a fault, our service team can help: reply PERSON. If you have another {d.product}, "
        "send its serial number and I'll check it."
    )


def fault_reported(d: CampaignDefinition) -> str:
    """The customer says their unit is not working (read as "it works" by the classifier)."""
    return (
        f"Sorry it isn't working properly. That is very likely the fault this recall fixes, for free. {d.safety_advice}"
    )


def next_serial_later(d: CampaignDefinition) -> str:
    """The customer will send another unit's serial later: not asked again."""
    return f"No problem: send the other {product_noun(d)}'s serial number whenever you have it, and I'll check it then."


def ask_serials_of_units(d: CampaignDefinition, count: int) -> str:
    """The customer says they have several units (a message the classifier did not place)."""
    return (
        f"Thank you. Please send the serial number of each of your {count} {product_noun(d)}s, in one message "
        f"or one at a time. {d.serial_hint}"
    )


def not_affected_closing() -> str:
    return "If you have another unit, send its serial number and I'll check it too."


# ---------------------------------------------------------------------- several units


def product_noun(d: CampaignDefinition) -> str:
    """The product's last word ("refrigerator" for "Arctica FrostFree 260L refrigerator")."""
    words = d.product.split()
    return words[-1].lower() if words else "unit"


def _listed(serials: Sequence[str]) -> str:
    return serials[0] if len(serials) == 1 else ", ".join(serials[:-1]) + " and " + serials[-1]


def serials_checked(
    d: CampaignDefinition, affected: Sequence[str], not_affected: Sequence[str], known: Sequence[str] = ()
) -> str:
    """Several serials in one message: which are affected, which are fine, which were sent before."""
    parts = ["Thank you, I checked them."]
    if len(affected) == 1:
        parts.append(f"{affected[0]} is one of the affected units: it gets a free fix.")
    elif affected:
        parts.append(f"{_listed(affected)} are among the affected units: each gets a free fix.")
    if not_affected:
        verb = "is" if len(not_affected) == 1 else "are"
        parts.append(f"{_listed(not_affected)} {verb} not affected: nothing to do for {_it(not_affected)}.")
    if known:
        parts.append(f"{_listed(known)}: already checked.")
    if affected:
        parts.append(f"We're sorry for the trouble. {d.safety_advice}")
    return " ".join(parts)


def _it(serials: Sequence[str]) -> str:
    return "that one" if len(serials) == 1 else "those"


def serial_already_known(serial: str, reference: str | None) -> str:
    """The customer sent a serial already checked for them."""
    if reference:
        return f"You've already sent {serial}: it is on {reference}, nothing more to do for it."
    return f"You've already sent {serial}, thank you."


def ask_next_serial(d: CampaignDefinition, position: int) -> str:
    """The customer said they have more units than they have sent serials for."""
    return f"Please send the serial number of your {ordinal(position)} {product_noun(d)} too. {d.serial_hint}"


def ask_remedy_for_unit(d: CampaignDefinition, position: int, serial: str) -> str:
    """The remedy question naming the unit, when the customer has several."""
    lead = "Now your" if position > 1 else "For your"
    question = ask_remedy(d)
    return f"{lead} {ordinal(position)} {product_noun(d)}, {serial}: {question[0].lower()}{question[1:]}"


def visit_minutes(d: CampaignDefinition, units: int) -> int | None:
    """How long a repair visit takes for `units` units (the campaign's time per unit)."""
    duration = d.remedies.repair.duration_minutes if d.remedies.repair else None
    return duration * max(units, 1) if duration else None


def visit_joined(d: CampaignDefinition, reference: str, when: str, serial: str, units: int) -> str:
    """Another unit's repair joins the visit already booked."""
    minutes = visit_minutes(d, units)
    which = "both" if units == 2 else f"all {units}"
    takes = f" The visit now takes about {minutes} minutes." if minutes else ""
    return (
        f"Done: the technician fixes {serial} on the same visit, {reference} {when}, so {which} "
        f"{product_noun(d)}s are repaired together. It is free of charge.{takes}"
    )


def pickup_joined(
    d: CampaignDefinition, remedy: str, reference: str, pickup: str, when: str, amount_text: str | None
) -> str:
    """Another unit's replacement or refund, collected on the pickup already booked."""
    if remedy == "refund":
        amount = f" of {amount_text}" if amount_text else ""
        after = f"Its refund{amount} is paid within {d.refund_days or 7} days after we collect it."
    else:
        after = f"We bring a new {product_noun(d)} for it too."
    return (
        f"Confirmed. Your reference is {reference}: we collect this {product_noun(d)} on the same pickup, "
        f"{pickup} {when}. {after}"
    )


# ---------------------------------------------------------------------- after the visit

REMEDY_NOUNS = {"repair": "repair", "replacement": "replacement", "refund": "refund"}


def ask_feedback(d: CampaignDefinition, remedy: str | None) -> str:
    """The question the follow-up job has the bot ask once the remedy is complete."""
    noun = REMEDY_NOUNS.get(remedy or "", "repair")
    return (
        f"Your {d.product} {noun} is complete. Thank you for your patience, and for choosing {d.brand}. "
        f"How did the {noun} go? Reply with a number from 1 (bad) to 5 (great)."
    )


def ask_feedback_again() -> str:
    return "How did it go? Please reply with a number from 1 (bad) to 5 (great)."


def comment_go_ahead() -> str:
    """A yes to "anything you'd like to tell us?": the comment itself is asked."""
    return "Please type your comment in one message, or reply NO to skip."


def ask_feedback_comment() -> str:
    return "Thank you! Is there anything you'd like to tell us about it? Reply with a comment, or NO to skip."


def feedback_thanks(d: CampaignDefinition) -> str:
    return f"Thank you for your feedback, and for choosing {d.brand}."


def feedback_declined(d: CampaignDefinition) -> str:
    return f"OK, no problem. Thank you for choosing {d.brand}."


def visit_not_done(d: CampaignDefinition, kind: str, reference: str, status: str) -> str:
    """A failed or missed visit: the apology before new times are offered."""
    visit = "repair visit" if kind == "repair" else "pickup"
    happened = "did not take place" if status == "missed" else "could not be completed"
    return f"We're sorry: your {visit} {reference} {happened}. Let's book a new time for you, free of charge."


# ---------------------------------------------------------------------- keywords and media


def help_text(d: CampaignDefinition) -> str:
    if d.help_text:
        return d.help_text
    return (
        f"{d.sender_name}: messages about the {d.brand} recall of the {d.product}. Send your serial "
        "number to check your unit and book a free fix, or PERSON to reach our team. Reply STOP to opt out."
    )


def opted_out(d: CampaignDefinition) -> str:
    return (
        f"You are unsubscribed from {d.sender_name} messages and will not hear from us again. "
        "Reply START to resubscribe."
    )


def opted_in(d: CampaignDefinition) -> str:
    return (
        f"You are subscribed again to {d.sender_name} messages about the recall. Reply HELP for help, STOP to opt out."
    )


def photo_while_waiting_for_serial(d: CampaignDefinition) -> str:
    return f"Thanks for the photo. Please type the serial number from the label as text. {d.serial_hint}"


def photo_received() -> str:
    return "Thanks, we have received your photo. It is kept with your case for our team."


# ---------------------------------------------------------------------- goodwill (campaign `goodwill`)


def goodwill_policy(d: CampaignDefinition) -> str:
    """What the recall offers for the trouble, beyond the free remedy (only what it offers)."""
    g, parts = d.goodwill, []
    if g.discount:
        parts.append(f"{g.discount.percent}% off a new {d.brand} product ({g.discount.text.rstrip('.')})")
    if g.spoiled_food:
        receipt = " with a photo of the receipt," if g.spoiled_food.receipt_required else ""
        parts.append(
            f"a claim for food spoiled by the fault, up to {format_money(g.spoiled_food.max_amount, d.currency)},"
            f"{receipt} reviewed by a person from our team"
        )
    return f"Beyond the free {_remedy_words(d)}, this recall offers: " + "; and ".join(parts) + "."


def _remedy_words(d: CampaignDefinition) -> str:
    return " or ".join(REMEDY_NOUNS[key] for key in d.remedies.offered())


def no_goodwill(d: CampaignDefinition) -> str:
    """A recall without `goodwill`: nothing is promised; a person may look at the case."""
    return (
        f"No compensation is set for this recall beyond the free {_remedy_words(d)}. "
        "If you'd like a person from our team to look at your case, reply PERSON."
    )


def goodwill_not_covered(d: CampaignDefinition, ask: str) -> str:
    what = "Spoiled food is" if ask == "spoiled_food" else "A discount is"
    return f"{what} not part of this recall's offer. Reply PERSON if you'd like a person from our team to look at it."


def how_to_claim(d: CampaignDefinition) -> str | None:
    if d.goodwill.spoiled_food:
        return (
            "To claim for spoiled food, tell me what spoiled and roughly what it cost, "
            'e.g. "milk and vegetables spoiled, about 1500".'
        )
    return None


GOODWILL_NOUNS = {"spoiled_food": "spoiled food", "discount": "discount", "other": "compensation"}


def claims_recorded(claims: Sequence[tuple[str, str, str | None, bool]], receipt_awaited: bool) -> str:
    """`claims`: (reference, kind, amount label, newly recorded) of what was just claimed."""
    new = [c for c in claims if c[3]]
    described = ", ".join(
        f"{ref} ({GOODWILL_NOUNS[kind]}{f', {amount}' if amount else ''})" for ref, kind, amount, _ in claims
    )
    if new:
        noun = "claims" if len(claims) > 1 else "claim"
        text = f"I've recorded your {noun} {described}."
    else:
        text = f"Your claim {described} is already with our team."
    if receipt_awaited:
        text += " Please send a photo of the receipt here."
    return text + " A person from our team reviews every claim and replies here; nothing is paid before that."


def receipt_attached(reference: str) -> str:
    return f"Thanks, the photo is added to your claim {reference}. A person from our team reviews it and replies here."


# ---------------------------------------------------------------------- another remedy after booking


def confirm_switch(
    d: CampaignDefinition, to: str, current: str | None, booking: tuple[str, str, str] | None, amount_text: str | None
) -> str:
    """Asked before a change of remedy after booking. `booking`: (kind, reference, when) of
    the visit it cancels (a repair), None when only a request changes."""
    new = f"a refund{f' of {amount_text}' if amount_text else ''}" if to == "refund" else f"a {REMEDY_NOUNS[to]}"
    if booking is not None and booking[0] == "repair":
        return (
            f"Your repair visit {booking[1]} on {booking[2]} will be cancelled and {new} requested instead. "
            "Reply YES to confirm, or NO to keep the visit."
        )
    return (
        f"Your {REMEDY_NOUNS.get(current or '', 'request')} request will be changed to {new}"
        f"{' (the pickup stays as booked)' if booking else ''}. Reply YES to confirm, or NO to keep it as it is."
    )


def switched(to: str, reference: str | None, amount_text: str | None, cancelled: str | None, pickup_kept: bool) -> str:
    released = f"Your repair visit {cancelled} is cancelled. " if cancelled else ""
    if to == "repair":
        return f"{released}Done: your request is cancelled and we'll book the free repair instead."
    amount = f" for {amount_text}" if to == "refund" and amount_text else ""
    next_step = " We collect the old unit at the time already booked." if pickup_kept else ""
    return f"{released}Your {REMEDY_NOUNS[to]} request {reference}{amount} is recorded.{next_step}"


def switch_kept(reference: str | None) -> str:
    return f"OK, nothing changes: {reference} stays as it is." if reference else "OK, nothing changes."


def switch_not_possible(reason: str) -> str:
    if reason == "several_units":
        return (
            "Your booked visit repairs more than one of your units, so I can't change it here without "
            "cancelling them all. It stays booked. Reply PERSON and a person from our team will change "
            "the remedy for the unit you mean."
        )
    if reason == "visit_booked":
        return (
            "The pickup of your unit is already booked, so I can't change this here. "
            "Reply PERSON and a person from our team will change it for you."
        )
    if reason == "unit_collected":
        return "Your old unit has already been collected, so the remedy can't change now. Reply PERSON for a person."
    if reason == "remedy_complete":
        return "Your remedy is already complete. Reply PERSON if something is still wrong."
    return "I can't change that here. Reply PERSON and a person from our team will help."
