"""Customer-facing texts. Plain functions of the campaign definition and a few facts,
so the same trained bot serves any recall and every text is unit-tested.

SMS has no buttons: every choice is a numbered list.

Every text is a message of the catalog (bot/conversation/catalog.py) in the active
language: whole sentences with named placeholders, `nt` for counts; `make messages`
extracts them for the translators.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from babel.dates import get_day_names, get_month_names

from bot.campaigns.definition import CampaignDefinition
from bot.conversation.catalog import current_language, nt, t
from bot.domain.languages import SOURCE_LANGUAGE
from bot.domain.refunds import format_money
from bot.domain.support_hours import SupportHours, next_reply

REMEDY_ORDER = ("repair", "replacement", "refund")


def _sentences(*parts: str | None) -> str:
    """Sentences (each a whole message) one after the other; the missing ones left out."""
    return " ".join(part for part in parts if part)


def _babel_locale() -> str:
    """The Babel locale of the active language (`hi-Latn` → `hi_Latn`)."""
    return current_language().replace("-", "_")


def day_name(weekday: int) -> str:
    """The name of a weekday (0 = Monday) in the active language ("Monday", "सोमवार", "Somwaar")."""
    return get_day_names("wide", locale=_babel_locale())[weekday]


def _clock(at: dt.time | dt.datetime) -> str:
    return f"{at:%H:%M}"


def _or_list(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(items) <= 1:
        return "".join(items)
    # Translators: the end of a list of choices ("Monday, Tuesday or Friday").
    return t("{first} or {last}", first=", ".join(items[:-1]), last=items[-1])


def _and_list(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    # Translators: the end of a list ("AR1, AR2 and AR3").
    return t("{first} and {last}", first=", ".join(items[:-1]), last=items[-1])


def day_span(days: Sequence[int], *, joined: str = "or") -> str:
    """'Monday to Saturday' (three or more days in a row), else the days listed by name
    ('Saturday or Sunday'; `joined="comma"`: 'Monday, Wednesday, Friday')."""
    days = sorted(set(days))
    if not days:
        return ""
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        # Translators: a range of weekdays ("Monday to Saturday").
        return t("{first_day} to {last_day}", first_day=day_name(days[0]), last_day=day_name(days[-1]))
    names = [day_name(day) for day in days]
    return ", ".join(names) if joined == "comma" else _or_list(names)


def describe(hours: SupportHours) -> str:
    """The support team's hours: 'Monday to Saturday, 09:00 to 18:00'; single days and gaps
    listed by name."""
    # Translators: the support team's opening hours; {days} is "Monday to Saturday" or a list of days.
    return t(
        "{days}, {opens} to {closes}",
        days=day_span(hours.days, joined="comma"),
        opens=_clock(hours.opens),
        closes=_clock(hours.closes),
    )


def reply_expectation(now_utc: dt.datetime, timezone: str, hours: SupportHours) -> str:
    """When the customer can expect a person to reply, in words: 'shortly' while the team
    works, else the next opening ('from 09:00 tomorrow', 'on Monday from 09:00'). It goes
    into a sentence as its `{when}` ("... will reply here {when}")."""
    opening = next_reply(now_utc, timezone, hours)
    if opening is None:
        # Translators: when a person replies, in "A person from our team will reply here {when}".
        return t("shortly")
    days_ahead = (opening.date() - now_utc.astimezone(zoneinfo.ZoneInfo(timezone)).date()).days
    if days_ahead == 0:
        # Translators: when a person replies, in "... will reply here {when}"; {time} is "09:00".
        return t("from {time} today", time=_clock(opening))
    if days_ahead == 1:
        # Translators: when a person replies, in "... will reply here {when}"; {time} is "09:00".
        return t("from {time} tomorrow", time=_clock(opening))
    # Translators: when a person replies, in "... will reply here {when}"; {day} is a weekday name.
    return t("on {day} from {time}", day=day_name(opening.weekday()), time=_clock(opening))


def _replies_shortly(when: str) -> bool:
    return when in ("shortly", t("shortly"))


def _when_with_hours(d: CampaignDefinition, when: str) -> str:
    """`when` a person replies, with the team's hours unless they reply shortly."""
    if _replies_shortly(when):
        return when
    # Translators: {when} is "from 09:00 tomorrow"; {hours} is "Monday to Saturday, 09:00 to 18:00".
    return t("{when} (our hours: {hours})", when=when, hours=describe(d.support_hours.hours()))


def slot_label(start: dt.datetime, end: dt.datetime, tz: dt.tzinfo | str) -> str:
    """'Tue 1 Dec, 09:00–13:00' in the customer's timezone, day and month names in the active
    language ('मंगल 1 दिस॰, 09:00–13:00')."""
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_end.date() != local_start.date():
        # Translators: a visit over two days: {start_day} and {end_day} are "Tue 1 Dec".
        return t(
            "{start_day}, {start} – {end_day}, {end}",
            start_day=_day_month(local_start),
            start=_clock(local_start),
            end_day=_day_month(local_end),
            end=_clock(local_end),
        )
    # Translators: a visit's time: {day} is "Tue 1 Dec", {start} and {end} are "09:00", "13:00".
    return t("{day}, {start}–{end}", day=_day_month(local_start), start=_clock(local_start), end=_clock(local_end))


def _day_month(local: dt.datetime) -> str:
    locale = _babel_locale()
    weekday = get_day_names("abbreviated", locale=locale)[local.weekday()]
    month = get_month_names("abbreviated", locale=locale)[local.month]
    # Translators: a short date: {weekday} and {month} are abbreviated names ("Tue", "Dec"), {day} the day.
    return t("{weekday} {day} {month}", weekday=weekday, day=local.day, month=month)


def intro(d: CampaignDefinition, first_name: str, notified: bool) -> str:
    """The first bot turn of a conversation: apology, thanks, what happens next."""
    if first_name:
        # Translators: {sender} is the name the bot speaks as ("Arctica Care").
        hello = t("Hello {first_name}, this is {sender}.", first_name=first_name, sender=d.sender_name)
    else:
        hello = t("Hello, this is {sender}.", sender=d.sender_name)
    if notified:
        return _sentences(
            hello,
            t(
                "Thank you for replying, and thank you for choosing {brand}. We are sorry about the fault in your "
                "{product}. Next: we check your serial number, then arrange a free fix.",
                brand=d.brand,
                product=d.product,
            ),
        )
    return _sentences(
        hello,
        t(
            "We are sorry: we have found a fault in some {product} units and are recalling them. Thank you for "
            "choosing {brand}. Next: we check your serial number, then you choose a free fix that suits you.",
            product=d.product,
            brand=d.brand,
        ),
    )


def ask_serial(d: CampaignDefinition) -> str:
    # Translators: {serial_hint} is the campaign's own sentence on where the serial is printed.
    return t(
        "Please send the serial number of your {product}. {serial_hint}", product=d.product, serial_hint=d.serial_hint
    )


def example_serial(d: CampaignDefinition) -> str:
    return d.affected.ranges[0].serial_from


def serial_malformed(d: CampaignDefinition, shown: str | None) -> str:
    example = example_serial(d)
    if shown:
        # Translators: {shown} is what the customer sent; {example} a serial number; {n} its length.
        return nt(
            "Sorry, {shown} doesn't look like a serial number for this recall. It has {n} letter or digit, "
            "like {example}.",
            "Sorry, {shown} doesn't look like a serial number for this recall. It has {n} letters and digits, "
            "like {example}.",
            len(example),
            shown=shown,
            example=example,
        )
    # Translators: {example} is a serial number; {n} its length.
    return nt(
        "Sorry, I couldn't find a serial number for this recall. It has {n} letter or digit, like {example}.",
        "Sorry, I couldn't find a serial number for this recall. It has {n} letters and digits, like {example}.",
        len(example),
        example=example,
    )


def serial_unknown(serial: str) -> str:
    return t(
        "Sorry, I can't find serial {serial} in our records. Please check it on the label and send it again.",
        serial=serial,
    )


def did_you_mean(suggestion: str) -> str:
    # Translators: {suggestion} is a serial number close to the one the customer sent.
    return t("Did you mean {suggestion}? Reply YES or NO.", suggestion=suggestion)


def serial_affected(d: CampaignDefinition, serial: str) -> str:
    # Translators: {safety_advice} is the campaign's own safety advice (one or more sentences).
    return t(
        "Thank you. Your unit {serial} is one of the affected {product} units. We're sorry for the trouble. "
        "{safety_advice}",
        serial=serial,
        product=d.product,
        safety_advice=d.safety_advice,
    )


def serial_not_affected(d: CampaignDefinition, serial: str) -> str:
    return t(
        "Good news: your unit {serial} is not affected by this recall, so there is nothing you need to do. "
        "Thank you for checking, and for choosing {brand}.",
        serial=serial,
        brand=d.brand,
    )


def offer_human_after_failures() -> str:
    return t(
        "I still couldn't verify that serial number. Would you like a person from our team to help? "
        "Reply YES, or send the serial number again."
    )


def offer_human_after_fallback() -> str:
    return t("I'm sorry, I still don't understand. Would you like a person from our team to help? Reply YES or NO.")


def rephrase() -> str:
    return t("Sorry, I didn't understand that. Could you say it another way?")


def remedy_labels(d: CampaignDefinition) -> list[tuple[str, str]]:
    return [(key, getattr(d.remedies, key).label) for key in REMEDY_ORDER if getattr(d.remedies, key)]


def numbered(options: Sequence[str]) -> str:
    return "\n".join(f"{i}. {label}" for i, label in enumerate(options, start=1))


def ask_remedy(d: CampaignDefinition) -> str:
    labels = [label for _, label in remedy_labels(d)]
    # Translators: {options} is a numbered list, one option a line.
    return t("Which would you like? Reply with a number:\n{options}", options=numbered(labels))


def remedy_not_understood(d: CampaignDefinition) -> str:
    # Translators: {count} is the number of the last option.
    return t("Please reply with a number from 1 to {count}.", count=len(remedy_labels(d)))


def confirm_request(d: CampaignDefinition, remedy: str, amount_text: str | None) -> str:
    if remedy == "refund":
        if amount_text:
            # Translators: {amount} is a sum of money ("₹24,990").
            return t(
                "You chose a refund of {amount}. We collect the {product} from your home first. "
                "Reply YES to confirm, or NO to choose something else.",
                amount=amount_text,
                product=d.product,
            )
        return t(
            "You chose a refund of the purchase price. We collect the {product} from your home first. "
            "Reply YES to confirm, or NO to choose something else.",
            product=d.product,
        )
    if d.remedies.replacement:
        # Translators: {remedy} is the campaign's label of the replacement ("a new refrigerator").
        return t(
            "You chose {remedy}. We deliver it and take the old {product} away. "
            "Reply YES to confirm, or NO to choose something else.",
            remedy=d.remedies.replacement.label.lower(),
            product=d.product,
        )
    return t(
        "You chose a replacement. We deliver it and take the old {product} away. "
        "Reply YES to confirm, or NO to choose something else.",
        product=d.product,
    )


def confirm_address(address: str) -> str:
    return t("Is this the right address for the visit?\n{address}\nReply YES or NO.", address=address)


def reply_yes_or_no() -> str:
    """A yes/no question answered with neither."""
    return t("Please reply YES or NO.")


def ok() -> str:
    """A suggestion turned down: the question comes again."""
    return t("OK.")


ADDRESS_EXAMPLES = {
    "IN": "Flat 4B, Shanti Apartments, Baner Road, Pune 411045",
    "US": "1420 Elm Street, Apt 3, Austin TX 78701",
    "GB": "10 High Street, Leeds LS1 4AP",
}


def not_an_address(country: str) -> str:
    """A reply to the address question that is not an address: asked again with an example."""
    example = ADDRESS_EXAMPLES.get(country.upper()) or t("12 Main Street, City, postcode")
    # Translators: {example} is an example address of the customer's country.
    return t(
        "Sorry, that doesn't look like an address. Please send the house or flat number, street and town, "
        "e.g. {example}",
        example=example,
    )


def time_chosen_next() -> str:
    """A day or time asked for while the address is asked: the times come next."""
    return t("You can choose the day in the next step.")


def address_first() -> str:
    """A question the bot cannot answer while the address is asked."""
    return t("I'll need the address first; you can ask me again after that.")


def remedy_already_chosen(d: CampaignDefinition, remedy: str) -> str:
    """The remedy named while the address is asked is the one already chosen."""
    label = next((label for key, label in remedy_labels(d) if key == remedy), remedy)
    # Translators: {remedy} is the campaign's label of a remedy ("Free repair at home").
    return t("Yes, you have chosen: {remedy}.", remedy=label)


def remedy_switched(d: CampaignDefinition, remedy: str) -> str:
    """The customer changed the remedy while the address was asked (before booking)."""
    label = next((label for key, label in remedy_labels(d) if key == remedy), remedy)
    # Translators: {remedy} is the campaign's label of a remedy ("Free repair at home").
    return t("OK, you'd like this instead: {remedy}.", remedy=label)


def unknown_conversation() -> str:
    """No customer behind the conversation (the database does not answer, or a stray number)."""
    return t("Sorry, I can't find your details right now. Please try again in a few minutes.")


def ask_address() -> str:
    return t("Please send the full address for the visit, including the postcode.")


def ask_postcode() -> str:
    return t("Thanks. What is the postcode of that address?")


def invalid_postcode() -> str:
    return t("Sorry, that doesn't look like a postcode. Please send just the postcode.")


def offer_slots(labels: Sequence[str], kind: str) -> str:
    if kind == "repair":
        # Translators: {times} is a numbered list of visit times, one a line.
        return t(
            "These are the next free times a technician can visit. Reply with a number:\n{times}",
            times=numbered(labels),
        )
    # Translators: {times} is a numbered list of visit times, one a line.
    return t("These are the next free times we can collect it. Reply with a number:\n{times}", times=numbered(labels))


def _day_span(days: Sequence[int]) -> str:
    return day_span(days)


def working_days_only(d: CampaignDefinition, not_worked: Sequence[int]) -> str:
    """A day asked for ("sunday?") that is not a working day of the service calendar."""
    # Translators: {working_days} is "Monday to Saturday"; {other_days} is "Sunday" or "Saturday or Sunday".
    return t(
        "Our technicians visit {working_days}, not on {other_days}.",
        working_days=_day_span(d.service.working_days),
        other_days=_day_span(not_worked),
    )


def visit_hours(d: CampaignDefinition) -> str:
    """A time of day asked for ("evening?") that no daily slot of the calendar has."""
    # Translators: a daily visit window, "09:00–13:00".
    hours = _each_or([t("{start}–{end}", start=_clock(s.start), end=_clock(s.end)) for s in d.service.slots])
    # Translators: {hours} is "09:00–13:00 or 14:00–18:00".
    return t("Visits are at these times of day: {hours}.", hours=hours)


def offer_preferred_slots(labels: Sequence[str], kind: str, *, exact: bool) -> str:
    """The free times for the day or time the customer asked for (`exact`), else the nearest."""
    times = numbered(labels)
    if exact:
        if kind == "repair":
            return t(
                "These are the free times a technician can visit that fit. Reply with a number:\n{times}", times=times
            )
        return t("These are the free times we can collect it that fit. Reply with a number:\n{times}", times=times)
    if kind == "repair":
        return t(
            "These are the nearest free times a technician can visit. Reply with a number, or tell me another day "
            "or time:\n{times}",
            times=times,
        )
    return t(
        "These are the nearest free times we can collect it. Reply with a number, or tell me another day or "
        "time:\n{times}",
        times=times,
    )


def other_free_times(labels: Sequence[str], kind: str) -> str:
    """'None of these work': the next free times not offered yet."""
    if kind == "repair":
        return t(
            "Here are other free times a technician can visit. Reply with a number, or tell me a day or time "
            "that suits you:\n{times}",
            times=numbered(labels),
        )
    return t(
        "Here are other free times we can collect it. Reply with a number, or tell me a day or time that suits "
        "you:\n{times}",
        times=numbered(labels),
    )


def time_by_person(d: CampaignDefinition, when: str, *, nothing_fits: bool, days: int) -> str:
    """No free time fits (within `days`), or the customer turned the offers down twice:
    a person arranges the time (an escalation, `no_suitable_time`)."""
    why = (
        nt(
            "Sorry, I can't find a free time that fits in the next {n} day.",
            "Sorry, I can't find a free time that fits in the next {n} days.",
            days,
        )
        if nothing_fits
        else t("Sorry these times don't suit you.")
    )
    # Translators: {when} is "shortly" or "from 09:00 tomorrow (our hours: ...)".
    then = t(
        "I've asked a person from our team to arrange a time with you; they will reply here {when}.",
        when=_when_with_hours(d, when),
    )
    return _sentences(why, then)


def slot_not_understood(count: int) -> str:
    # Translators: {count} is the number of the last option.
    return t("Please reply with a number from 1 to {count}, or say which day or time you prefer.", count=count)


def slot_taken() -> str:
    return t("Sorry, that time was just taken by someone else.")


def no_free_slots(d: CampaignDefinition) -> str:
    return _sentences(
        nt(
            "Sorry, there are no free times in the next {n} day for your area.",
            "Sorry, there are no free times in the next {n} days for your area.",
            d.service.days_ahead,
        ),
        t("I've asked a person from our team to contact you to arrange it."),
    )


def _change_or_cancel() -> str:
    return t("To change it, reply 'change time'; to cancel, reply 'cancel booking'.")


def repair_booked(d: CampaignDefinition, reference: str, when: str, address: str | None) -> str:
    duration = d.remedies.repair.duration_minutes if d.remedies.repair else None
    takes = (
        nt("The repair takes about {n} minute.", "The repair takes about {n} minutes.", duration) if duration else None
    )
    if address:
        # Translators: {reference} is a booking reference; {when} a visit time ("Tue 1 Dec, 09:00–13:00 (IST)").
        booked = t(
            "Booked. Your reference is {reference}: a technician visits {when} at {address}. It is free of charge.",
            reference=reference,
            when=when,
            address=address,
        )
    else:
        # Translators: {reference} is a booking reference; {when} a visit time ("Tue 1 Dec, 09:00–13:00 (IST)").
        booked = t(
            "Booked. Your reference is {reference}: a technician visits {when}. It is free of charge.",
            reference=reference,
            when=when,
        )
    return _sentences(booked, takes, _change_or_cancel())


def request_booked(d: CampaignDefinition, remedy: str, reference: str, when: str, amount_text: str | None) -> str:
    if remedy == "refund":
        if amount_text:
            after = nt(
                "Your refund of {amount} is paid within {n} day after we collect the {product}.",
                "Your refund of {amount} is paid within {n} days after we collect the {product}.",
                d.refund_days or 7,
                amount=amount_text,
                product=d.product,
            )
        else:
            after = nt(
                "Your refund is paid within {n} day after we collect the {product}.",
                "Your refund is paid within {n} days after we collect the {product}.",
                d.refund_days or 7,
                product=d.product,
            )
    else:
        after = t("We bring your new {product} and take the old one away.", product=d.product)
    # Translators: {reference} is a booking reference; {when} a pickup time ("Tue 1 Dec, 09:00–13:00 (IST)").
    confirmed = t("Confirmed. Your reference is {reference}: pickup {when}.", reference=reference, when=when)
    return _sentences(confirmed, after, t("To change the time, reply 'change time'."))


def rescheduled(reference: str, when: str) -> str:
    return t("Done. Booking {reference} is now {when}.", reference=reference, when=when)


def warranty_offer(d: CampaignDefinition) -> str | None:
    if not d.extended_warranty_months:
        return None
    return nt(
        "As a thank-you, we extend the warranty of your {product} by {n} month, free of charge.",
        "As a thank-you, we extend the warranty of your {product} by {n} months, free of charge.",
        d.extended_warranty_months,
        product=d.product,
    )


def booking_status(reference: str, kind: str, when: str) -> str:
    if kind == "repair":
        status = t("Your booking {reference} is confirmed: a technician visits {when}.", reference=reference, when=when)
    else:
        status = t(
            "Your booking {reference} is confirmed: we collect the old unit {when}.", reference=reference, when=when
        )
    return _sentences(status, _change_or_cancel())


def remedy_complete(d: CampaignDefinition) -> str:
    return t(
        "The fix for your {product} is complete: there is nothing more to arrange. If anything is still wrong, "
        "tell me here and a person from {brand} will help.",
        product=d.product,
        brand=d.brand,
    )


def unit_collected(remedy: str, reference: str) -> str:
    if remedy == "replacement":
        collected = t(
            "We have collected the old unit ({reference}) and your new unit is on its way.", reference=reference
        )
    else:
        collected = t(
            "We have collected the old unit ({reference}) and your refund is being paid.", reference=reference
        )
    return _sentences(collected, t("We will message you here when it is done."))


def no_booking() -> str:
    return t("I can't find an upcoming booking for you.")


def confirm_cancel(reference: str, when: str) -> str:
    return t(
        "Cancel booking {reference} ({when})? Reply YES to cancel or NO to keep it.", reference=reference, when=when
    )


def cancelled(reference: str) -> str:
    return t(
        "Booking {reference} is cancelled. The repair stays free: message us any time to book again.",
        reference=reference,
    )


def kept_booking(reference: str) -> str:
    return t("OK, booking {reference} stays as it is.", reference=reference)


def answer(d: CampaignDefinition, question: str) -> str:
    """The answer to a question intent, from the campaign; a missing field offers a person."""
    repair = d.remedies.repair
    if question == "ask_defect":
        return d.hazard
    if question == "ask_safety":
        return d.safety_advice
    if question == "ask_cost":
        return t("It costs you nothing: the repair, replacement or refund, the visit and any parts are free.")
    if question == "ask_duration":
        if repair and repair.duration_minutes:
            return nt(
                "The repair at your home takes about {n} minute.",
                "The repair at your home takes about {n} minutes.",
                repair.duration_minutes,
            )
        return t("The technician will tell you when they book the visit; most repairs are done in one visit.")
    if question == "bot_challenge":
        return t(
            "I'm the automated assistant of {sender}. Reply PERSON any time to talk to a person from our team.",
            sender=d.sender_name,
        )
    if question in _CAMPAIGN_ANSWERS:
        return _CAMPAIGN_ANSWERS[question](d) or answer_unknown()
    raise ValueError(f"no answer for {question}")


def answer_unknown() -> str:
    """A question the campaign has no answer for: a person answers it."""
    return t("I don't have that information here. Reply PERSON and a person from our team will answer it.")


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
    minutes = repair.duration_minutes if repair and repair.duration_minutes else None
    if complete:
        return remedy_complete(d)
    booked = (
        t("Your visit is booked for {when} (reference {reference}).", when=when, reference=reference) if when else None
    )
    if remedy == "repair":
        if when and minutes:
            # Translators: {when} is a visit time ("Tue 1 Dec, 09:00–13:00 (IST)"); {n} minutes.
            return nt(
                "The technician fixes it at the visit booked for {when} (about {n} minute), reference {reference}.",
                "The technician fixes it at the visit booked for {when} (about {n} minutes), reference {reference}.",
                minutes,
                when=when,
                reference=reference,
            )
        if when:
            return t(
                "The technician fixes it at the visit booked for {when}, reference {reference}.",
                when=when,
                reference=reference,
            )
        if minutes:
            return nt(
                "The technician fixes it at home in one visit (about {n} minute), at a time you choose: "
                "choose a time and it is booked.",
                "The technician fixes it at home in one visit (about {n} minutes), at a time you choose: "
                "choose a time and it is booked.",
                minutes,
            )
        return t("The technician fixes it at home in one visit, at a time you choose: choose a time and it is booked.")
    if remedy == "refund":
        return _sentences(_refund_time(d) or answer_unknown(), booked)
    if remedy == "replacement":
        return _sentences(_replacement_time(d) or answer_unknown(), booked)
    ways = []
    if repair:
        # Translators: one of the ways in "That depends on what you choose: {ways}." (joined by "; ").
        ways.append(
            nt(
                "a free repair at your home is done in one visit (about {n} minute), on a day you choose",
                "a free repair at your home is done in one visit (about {n} minutes), on a day you choose",
                minutes,
            )
            if minutes
            # Translators: one of the ways in "That depends on what you choose: {ways}." (joined by "; ").
            else t("a free repair at your home is done in one visit, on a day you choose")
        )
    if d.remedies.replacement and d.replacement_days:
        # Translators: one of the ways in "That depends on what you choose: {ways}." (joined by "; ").
        ways.append(
            nt(
                "a new one is delivered within {n} day after you book",
                "a new one is delivered within {n} days after you book",
                d.replacement_days,
            )
        )
    if d.remedies.refund and d.refund_days:
        # Translators: one of the ways in "That depends on what you choose: {ways}." (joined by "; ").
        ways.append(
            nt(
                "a refund reaches your account within {n} day after we collect the {product}",
                "a refund reaches your account within {n} days after we collect the {product}",
                d.refund_days,
                product=d.product,
            )
        )
    if not ways:
        return answer_unknown()
    # Translators: {ways} are the remedies with their times, joined by "; ".
    return t("That depends on what you choose: {ways}.", ways="; ".join(ways))


def _who_is_this(d: CampaignDefinition) -> str:
    return t(
        "This is {sender}, the customer care of {brand}, about a free recall of the {product}. "
        "I'm an automated assistant; reply PERSON any time to talk to a person.",
        sender=d.sender_name,
        brand=d.brand,
        product=d.product,
    )


def _official_contact(d: CampaignDefinition) -> str | None:
    ways = []
    if d.contact.website:
        # Translators: a way to check the recall, in "To check, {check}."
        ways.append(t("visit {website}", website=d.contact.website))
    if d.contact.phone:
        # Translators: a way to check the recall, in "To check, {check}."
        ways.append(t("call {phone}", phone=d.contact.phone))
    return _each_or(ways) or None


def _is_it_real(d: CampaignDefinition) -> str | None:
    check = _official_contact(d)
    if not check:
        return None
    # Translators: {check} is "visit arctica.example or call 1800 123 4567".
    return t(
        "Yes, this is a genuine {brand} recall. To check, {check}. We never ask for a payment, card or bank details.",
        brand=d.brand,
        check=check,
    )


def _how_got_number(d: CampaignDefinition) -> str | None:
    if not d.data_source:
        return None
    # Translators: {data_source} is the campaign's own words, e.g. "from the warranty card you registered".
    return t(
        "We got your number {data_source}, only to reach owners of the {product} about this recall.",
        data_source=d.data_source,
        product=d.product,
    )


def _about_data(d: CampaignDefinition) -> str | None:
    return d.privacy


def _what_to_do(d: CampaignDefinition) -> str:
    options = _each_or([label.lower() for _, label in remedy_labels(d)])
    # Translators: {options} is the remedies offered, "free repair at home or refund".
    return t(
        "Just send us the serial number of your {product}; we check whether it is affected, and if it is you "
        "choose: {options}. It is all free.",
        product=d.product,
        options=options,
    )


def _refund_time(d: CampaignDefinition) -> str | None:
    if not d.remedies.refund:
        return t("This recall does not offer a refund; I can tell you about the other options.")
    if not d.refund_days:
        return None
    return nt(
        "The refund reaches your account within {n} day after we collect the {product}.",
        "The refund reaches your account within {n} days after we collect the {product}.",
        d.refund_days,
        product=d.product,
    )


def _replacement_time(d: CampaignDefinition) -> str | None:
    if not d.remedies.replacement:
        return t("This recall does not offer a replacement; I can tell you about the other options.")
    if not d.replacement_days:
        return None
    return nt(
        "The new {product} is delivered within {n} day after you book, and we take the old one away at the same time.",
        "The new {product} is delivered within {n} days after you book, and we take the old one away at the same time.",
        d.replacement_days,
        product=d.product,
    )


def _warranty(d: CampaignDefinition) -> str | None:
    return _sentences(d.warranty, warranty_offer(d)) or None


def _visit(d: CampaignDefinition) -> str | None:
    repair = d.remedies.repair
    if d.visit.someone_home is True:
        home = t("Someone aged 18 or over needs to be at home during the visit.")
    elif d.visit.someone_home is False:
        home = t("Nobody needs to be at home, as long as the technician can reach it.")
    else:
        home = None
    duration = (
        nt("It takes about {n} minute.", "It takes about {n} minutes.", repair.duration_minutes)
        if repair and repair.duration_minutes
        else None
    )
    return _sentences(d.visit.what_happens, home, duration) or None


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
    return t(
        "Thank you for letting us know, and sorry for the trouble. "
        "We won't contact this number again about this {brand} recall.",
        brand=d.brand,
    )


def confirm_wrong_person(d: CampaignDefinition) -> str:
    """Asked before a wrong person is recorded: only a yes stops the messages."""
    return t(
        "Just to check: this number is not the owner of the {brand} {product}? "
        "Reply YES to stop messages about this recall, or tell us what you need.",
        brand=d.brand,
        product=d.product,
    )


def not_wrong_person() -> str:
    """The customer said no to the wrong-person question: the recall goes on."""
    return t("Thank you, we'll carry on.")


# ---------------------------------------------------------------------- situations (actions/situations.py)


def _fault(d: CampaignDefinition) -> str:
    return d.hazard if d.hazard.endswith((".", "।", "!", "?")) else d.hazard + "."


def repaired_elsewhere(d: CampaignDefinition, booked: bool) -> str:
    """A repair by someone else: it does not remove the recall fault; the free fix is offered."""
    keep = (
        t("We recommend keeping your free visit.") if booked else t("Our fix is free of charge, so let's arrange it.")
    )
    # Translators: {fault} is the campaign's description of the fault (a sentence).
    told = t(
        "Thank you for telling us. A repair elsewhere does not fix the fault this recall is about, even if the "
        "{product} works now: {fault}",
        product=d.product,
        fault=_fault(d),
    )
    return _sentences(told, keep)


def works_fine(d: CampaignDefinition, booked: bool) -> str:
    """It works: the fault can appear later without warning; the free fix is offered."""
    keep = (
        t("We recommend keeping your free visit.")
        if booked
        else t("The fix is free, so we recommend it even if it works now.")
    )
    # Translators: {fault} is the campaign's description of the fault (a sentence).
    works = t("Good to hear it works. The fault can appear later without warning: {fault}", fault=_fault(d))
    return _sentences(works, keep)


def moved(d: CampaignDefinition) -> str:
    """Moved house before anything is booked: the recall goes on at the new address."""
    return t("Thanks for letting us know. The recall goes with you: the fix is free at your new address too.")


def moved_with_booking(reference: str, address: str | None) -> str:
    """Moved house after a visit or pickup was booked at the old address."""
    if address:
        where = t(
            "Thanks for letting us know. Booking {reference} is at {address}.", reference=reference, address=address
        )
    else:
        where = t("Thanks for letting us know. Booking {reference} is at your old address.", reference=reference)
    return _sentences(
        where,
        t(
            "To have it at your new address, reply 'cancel booking' and then book again with the new address, "
            "or reply PERSON and our team will move it."
        ),
    )


def household_member(d: CampaignDefinition) -> str:
    """Someone of the buyer's household (not a wrong person): they can arrange the fix."""
    return t(
        "Thank you. Anyone in the household can arrange the free fix for the {product}, so let's carry on with you.",
        product=d.product,
    )


def travelling(booked: bool) -> str:
    """Travelling, said outside the booking step: the offer stays open."""
    later = (
        t("To move your booking to after you're back, reply 'change time'.")
        if booked
        else t("You can book a date for after you're back now, or simply message us here when you're back.")
    )
    return _sentences(t("No problem, safe travels. The free fix stays open for you, with no deadline."), later)


def travelling_at_booking() -> str:
    """Travelling, said while times are offered: a later day can be asked for."""
    return t(
        "No problem. The free fix stays open for you: pick a time after you're back, or tell me the day you're "
        "back (e.g. 'after the 20th')."
    )


def confirm_disposition(d: CampaignDefinition, disposition: str | None, serial: str) -> str:
    """Asked before a unit is recorded as gone: only a yes records it."""
    values = {"product": d.product, "serial": serial}
    if disposition == "sold":
        return t(
            "Just to check: you no longer have the {product} (serial {serial}): you sold it? Reply YES or NO.", **values
        )
    if disposition == "given_away":
        return t(
            "Just to check: you no longer have the {product} (serial {serial}): you gave it away? Reply YES or NO.",
            **values,
        )
    if disposition == "disposed":
        return t(
            "Just to check: you no longer have the {product} (serial {serial}): you threw it away or scrapped it? "
            "Reply YES or NO.",
            **values,
        )
    return t(
        "Just to check: you no longer have the {product} (serial {serial})? Did you sell it, give it away or "
        "throw it away? Reply SOLD, GAVE or THREW, or NO if you still have it.",
        **values,
    )


def confirm_disposition_which(d: CampaignDefinition, disposition: str | None, serials: Sequence[str]) -> str:
    """Several units on file and the message did not say which one is gone."""
    values = {"product": d.product, "serials": numbered(serials)}
    if disposition == "sold":
        # Translators: {serials} is a numbered list of serial numbers, one a line.
        return t(
            "Just to check: you no longer have one of your {product} units: you sold it? Reply with its number, "
            "or NO if you still have them all:\n{serials}",
            **values,
        )
    if disposition == "given_away":
        # Translators: {serials} is a numbered list of serial numbers, one a line.
        return t(
            "Just to check: you no longer have one of your {product} units: you gave it away? Reply with its "
            "number, or NO if you still have them all:\n{serials}",
            **values,
        )
    if disposition == "disposed":
        # Translators: {serials} is a numbered list of serial numbers, one a line.
        return t(
            "Just to check: you no longer have one of your {product} units: you threw it away or scrapped it? "
            "Reply with its number, or NO if you still have them all:\n{serials}",
            **values,
        )
    # Translators: {serials} is a numbered list of serial numbers, one a line.
    return t(
        "Just to check: you no longer have one of your {product} units? Reply with its number, or NO if you "
        "still have them all:\n{serials}",
        **values,
    )


def _pass_the_notice(d: CampaignDefinition) -> str:
    return d.disposed_units or t(
        "Please pass this recall notice to whoever has the {product} now: the fix is free for them too.",
        product=d.product,
    )


def disposition_recorded(
    d: CampaignDefinition, disposition: str, serial: str, booking_reference: str | None = None
) -> str:
    """The unit is recorded as gone: what the recall offers then (`disposed_units`)."""
    booked = (
        t(
            "Booking {reference} is still on: reply 'cancel booking' if it is no longer needed.",
            reference=booking_reference,
        )
        if booking_reference
        else None
    )
    values = {"product": d.product, "serial": serial}
    if disposition == "sold":
        noted = t("Thank you, we have noted that you sold the {product} (serial {serial}).", **values)
    elif disposition == "given_away":
        noted = t("Thank you, we have noted that you gave away the {product} (serial {serial}).", **values)
    elif disposition == "disposed":
        noted = t("Thank you, we have noted that you threw away the {product} (serial {serial}).", **values)
    else:
        raise KeyError(disposition)
    return _sentences(noted, _pass_the_notice(d), booked)


def disposition_without_unit(d: CampaignDefinition) -> str:
    """No unit is on file for this customer: nothing to record, the offer is said."""
    return _sentences(t("Thank you for letting us know."), _pass_the_notice(d))


def disposition_kept() -> str:
    """No to the disposition question: nothing is recorded."""
    return t("OK, nothing is changed: the unit stays on your recall. Let's carry on.")


def escalated(d: CampaignDefinition, reason: str, when: str) -> str:
    """The last thing the bot says before a person takes over; `when` from
    `reply_expectation` ('shortly', 'from 09:00 tomorrow')."""
    if reason == "report_hazard":
        # Translators: {safety_advice} is the campaign's own safety advice (one or more sentences).
        return t(
            "Thank you for telling us. For your safety: {safety_advice} A person from our team will contact you "
            "urgently.",
            safety_advice=d.safety_advice,
        )
    when = _when_with_hours(d, when)
    if reason == "system_error":
        # Translators: {when} is "shortly" or "from 09:00 tomorrow (our hours: Monday to Saturday, 09:00 to 18:00)".
        return t(
            "Sorry, something went wrong on our side. A person from {brand} will reply to you here {when}.",
            brand=d.brand,
            when=when,
        )
    if reason == "complain":
        # Translators: {when} is "shortly" or "from 09:00 tomorrow (our hours: Monday to Saturday, 09:00 to 18:00)".
        return t(
            "I'm sorry we let you down. I've passed this to a person from our team, who will reply here {when}.",
            when=when,
        )
    if reason == "low_feedback":
        # Translators: {when} is "shortly" or "from 09:00 tomorrow (our hours: Monday to Saturday, 09:00 to 18:00)".
        return t(
            "I'm sorry it didn't go well. I've passed this to a person from our team, who will reply here {when}.",
            when=when,
        )
    # Translators: {when} is "shortly" or "from 09:00 tomorrow (our hours: Monday to Saturday, 09:00 to 18:00)".
    return t("OK. A person from our team will reply here {when}.", when=when)


def system_error_without_campaign() -> str:
    """The apology for a failure of ours when not even the customer's recall could be read."""
    return t("Sorry, something went wrong on our side. A person from our team will reply to you here.")


def human_declined() -> str:
    return t("OK. Let's carry on.")


def thanks_back() -> str:
    return t("You're welcome.")


def goodbye(d: CampaignDefinition) -> str:
    return t("Thank you for your time. {sender} is here if you need anything.", sender=d.sender_name)


def not_affected_but_faulty(d: CampaignDefinition) -> str:
    """An unaffected unit whose owner reports a fault: not dismissed with "nothing to do"."""
    if d.contact.phone:
        return t(
            "You say it isn't working properly, though: that fault is not part of this recall, but our service "
            "team can still help. Reply PERSON and a person from {brand} will help you, or call {phone}.",
            brand=d.brand,
            phone=d.contact.phone,
        )
    return t(
        "You say it isn't working properly, though: that fault is not part of this recall, but our service "
        "team can still help. Reply PERSON and a person from {brand} will help you.",
        brand=d.brand,
    )


def remedy_not_covered(d: CampaignDefinition, serials: Sequence[str]) -> str:
    """A remedy asked for when every unit the customer sent is outside the recall."""
    # Translators: {serials} is one serial number or a list ("AR1, AR2 and AR3"); {n} how many.
    outside = nt(
        "{serials} is not part of this recall, so the free repair, replacement or refund does not apply.",
        "{serials} are not part of this recall, so the free repair, replacement or refund does not apply.",
        len(serials),
        serials=_listed(serials),
    )
    return _sentences(
        outside,
        t(
            "If it has a fault, our service team can help: reply PERSON. If you have another {product}, send its "
            "serial number and I'll check it.",
            product=d.product,
        ),
    )


def fault_reported(d: CampaignDefinition) -> str:
    """The customer says their unit is not working (read as "it works" by the classifier)."""
    # Translators: {safety_advice} is the campaign's own safety advice (one or more sentences).
    return t(
        "Sorry it isn't working properly. That is very likely the fault this recall fixes, for free. {safety_advice}",
        safety_advice=d.safety_advice,
    )


def next_serial_later(d: CampaignDefinition) -> str:
    """The customer will send another unit's serial later: not asked again."""
    # Translators: {unit} is the product's noun ("refrigerator").
    return t(
        "No problem: send the other {unit}'s serial number whenever you have it, and I'll check it then.",
        unit=product_noun(d),
    )


def ask_serials_of_units(d: CampaignDefinition, count: int) -> str:
    """The customer says they have several units (a message the classifier did not place)."""
    # Translators: {unit} is the product's noun ("refrigerator"); {serial_hint} the campaign's own sentence.
    return nt(
        "Thank you. Please send the serial number of your {unit}. {serial_hint}",
        "Thank you. Please send the serial number of each of your {n} {unit}s, in one message or one at a time. "
        "{serial_hint}",
        count,
        unit=product_noun(d),
        serial_hint=d.serial_hint,
    )


def not_affected_closing() -> str:
    return t("If you have another unit, send its serial number and I'll check it too.")


# ---------------------------------------------------------------------- several units


def product_noun(d: CampaignDefinition) -> str:
    """The product's last word ("refrigerator" for "Arctica FrostFree 260L refrigerator")."""
    words = d.product.split()
    return words[-1].lower() if words else t("unit")


def _listed(serials: Sequence[str]) -> str:
    return _and_list(serials)


def serials_checked(
    d: CampaignDefinition, affected: Sequence[str], not_affected: Sequence[str], known: Sequence[str] = ()
) -> str:
    """Several serials in one message: which are affected, which are fine, which were sent before."""
    parts = [t("Thank you, I checked them.")]
    if affected:
        # Translators: {serials} is one serial number or a list ("AR1, AR2 and AR3"); {n} how many.
        parts.append(
            nt(
                "{serials} is one of the affected units: it gets a free fix.",
                "{serials} are among the affected units: each gets a free fix.",
                len(affected),
                serials=_listed(affected),
            )
        )
    if not_affected:
        # Translators: {serials} is one serial number or a list ("AR1, AR2 and AR3"); {n} how many.
        parts.append(
            nt(
                "{serials} is not affected: nothing to do for that one.",
                "{serials} are not affected: nothing to do for those.",
                len(not_affected),
                serials=_listed(not_affected),
            )
        )
    if known:
        # Translators: {serials} is one serial number or a list ("AR1, AR2 and AR3").
        parts.append(t("{serials}: already checked.", serials=_listed(known)))
    if affected:
        # Translators: {safety_advice} is the campaign's own safety advice (one or more sentences).
        parts.append(t("We're sorry for the trouble. {safety_advice}", safety_advice=d.safety_advice))
    return " ".join(parts)


def serial_already_known(serial: str, reference: str | None) -> str:
    """The customer sent a serial already checked for them."""
    if reference:
        # Translators: {reference} is the booking or request reference the unit is on.
        return t(
            "You've already sent {serial}: it is on {reference}, nothing more to do for it.",
            serial=serial,
            reference=reference,
        )
    return t("You've already sent {serial}, thank you.", serial=serial)


def ordinal(position: int) -> str:
    """'first', 'second' … for a 1-based position, in the active language (beyond ten: '11th')."""
    words = (
        t("first"),
        t("second"),
        t("third"),
        t("fourth"),
        t("fifth"),
        t("sixth"),
        t("seventh"),
        t("eighth"),
        t("ninth"),
        t("tenth"),
    )
    if 1 <= position <= len(words):
        return words[position - 1]
    if current_language() != SOURCE_LANGUAGE:
        # Translators: an ordinal beyond ten ("11th"); {n} is the number.
        return t("{n}th", n=position)
    suffix = "th" if 10 <= position % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


def ask_next_serial(d: CampaignDefinition, position: int) -> str:
    """The customer said they have more units than they have sent serials for."""
    # Translators: {ordinal} is "second", "third"...; {unit} the product's noun ("refrigerator").
    return t(
        "Please send the serial number of your {ordinal} {unit} too. {serial_hint}",
        ordinal=ordinal(position),
        unit=product_noun(d),
        serial_hint=d.serial_hint,
    )


def ask_remedy_for_unit(d: CampaignDefinition, position: int, serial: str) -> str:
    """The remedy question naming the unit, when the customer has several."""
    labels = numbered([label for _, label in remedy_labels(d)])
    values = {"ordinal": ordinal(position), "unit": product_noun(d), "serial": serial, "options": labels}
    if position > 1:
        # Translators: {ordinal} is "second", "third"...; {unit} the product's noun; {options} a numbered list.
        return t("Now your {ordinal} {unit}, {serial}: which would you like? Reply with a number:\n{options}", **values)
    # Translators: {ordinal} is "first"; {unit} the product's noun; {options} a numbered list.
    return t("For your {ordinal} {unit}, {serial}: which would you like? Reply with a number:\n{options}", **values)


def visit_minutes(d: CampaignDefinition, units: int) -> int | None:
    """How long a repair visit takes for `units` units (the campaign's time per unit)."""
    duration = d.remedies.repair.duration_minutes if d.remedies.repair else None
    return duration * max(units, 1) if duration else None


def visit_joined(d: CampaignDefinition, reference: str, when: str, serial: str, units: int) -> str:
    """Another unit's repair joins the visit already booked."""
    minutes = visit_minutes(d, units)
    values = {"serial": serial, "reference": reference, "when": when, "unit": product_noun(d)}
    if units == 2:
        # Translators: {reference} {when} are the booking and its time; {unit} the product's noun ("refrigerator").
        done = t(
            "Done: the technician fixes {serial} on the same visit, {reference} {when}, so both {unit}s are "
            "repaired together. It is free of charge.",
            **values,
        )
    else:
        # Translators: {reference} {when} are the booking and its time; {unit} the product's noun ("refrigerator").
        done = nt(
            "Done: the technician fixes {serial} on the same visit, {reference} {when}, so the {unit} is "
            "repaired. It is free of charge.",
            "Done: the technician fixes {serial} on the same visit, {reference} {when}, so all {n} {unit}s are "
            "repaired together. It is free of charge.",
            units,
            **values,
        )
    takes = (
        nt("The visit now takes about {n} minute.", "The visit now takes about {n} minutes.", minutes)
        if minutes
        else None
    )
    return _sentences(done, takes)


def pickup_joined(
    d: CampaignDefinition, remedy: str, reference: str, pickup: str, when: str, amount_text: str | None
) -> str:
    """Another unit's replacement or refund, collected on the pickup already booked."""
    if remedy == "refund":
        if amount_text:
            after = nt(
                "Its refund of {amount} is paid within {n} day after we collect it.",
                "Its refund of {amount} is paid within {n} days after we collect it.",
                d.refund_days or 7,
                amount=amount_text,
            )
        else:
            after = nt(
                "Its refund is paid within {n} day after we collect it.",
                "Its refund is paid within {n} days after we collect it.",
                d.refund_days or 7,
            )
    else:
        after = t("We bring a new {unit} for it too.", unit=product_noun(d))
    # Translators: {pickup} is the pickup's reference, {when} its time; {unit} the product's noun.
    confirmed = t(
        "Confirmed. Your reference is {reference}: we collect this {unit} on the same pickup, {pickup} {when}.",
        reference=reference,
        unit=product_noun(d),
        pickup=pickup,
        when=when,
    )
    return _sentences(confirmed, after)


# ---------------------------------------------------------------------- after the visit

REMEDY_NOUNS = {"repair": "repair", "replacement": "replacement", "refund": "refund"}


def remedy_noun(remedy: str) -> str:
    """'repair', 'replacement', 'refund' in the active language."""
    # Translators: the remedies as nouns, used inside sentences ("Your refrigerator {remedy} is complete").
    nouns = {"repair": t("repair"), "replacement": t("replacement"), "refund": t("refund")}
    return nouns[remedy]


def ask_feedback(d: CampaignDefinition, remedy: str | None) -> str:
    """The question the follow-up job has the bot ask once the remedy is complete."""
    values = {"product": d.product, "brand": d.brand}
    if remedy == "replacement":
        return t(
            "Your {product} replacement is complete. Thank you for your patience, and for choosing {brand}. "
            "How did the replacement go? Reply with a number from 1 (bad) to 5 (great).",
            **values,
        )
    if remedy == "refund":
        return t(
            "Your {product} refund is complete. Thank you for your patience, and for choosing {brand}. "
            "How did the refund go? Reply with a number from 1 (bad) to 5 (great).",
            **values,
        )
    return t(
        "Your {product} repair is complete. Thank you for your patience, and for choosing {brand}. "
        "How did the repair go? Reply with a number from 1 (bad) to 5 (great).",
        **values,
    )


def ask_feedback_again() -> str:
    return t("How did it go? Please reply with a number from 1 (bad) to 5 (great).")


def comment_go_ahead() -> str:
    """A yes to "anything you'd like to tell us?": the comment itself is asked."""
    return t("Please type your comment in one message, or reply NO to skip.")


def ask_feedback_comment() -> str:
    return t("Thank you! Is there anything you'd like to tell us about it? Reply with a comment, or NO to skip.")


def feedback_thanks(d: CampaignDefinition) -> str:
    return t("Thank you for your feedback, and for choosing {brand}.", brand=d.brand)


def feedback_declined(d: CampaignDefinition) -> str:
    return t("OK, no problem. Thank you for choosing {brand}.", brand=d.brand)


def visit_not_done(d: CampaignDefinition, kind: str, reference: str, status: str) -> str:
    """A failed or missed visit: the apology before new times are offered."""
    if kind == "repair":
        sorry = (
            t("We're sorry: your repair visit {reference} did not take place.", reference=reference)
            if status == "missed"
            else t("We're sorry: your repair visit {reference} could not be completed.", reference=reference)
        )
    else:
        sorry = (
            t("We're sorry: your pickup {reference} did not take place.", reference=reference)
            if status == "missed"
            else t("We're sorry: your pickup {reference} could not be completed.", reference=reference)
        )
    return _sentences(sorry, t("Let's book a new time for you, free of charge."))


# ---------------------------------------------------------------------- keywords and media


def help_text(d: CampaignDefinition) -> str:
    if d.help_text:
        return d.help_text
    return t(
        "{sender}: messages about the {brand} recall of the {product}. Send your serial number to check your "
        "unit and book a free fix, or PERSON to reach our team. Reply STOP to opt out.",
        sender=d.sender_name,
        brand=d.brand,
        product=d.product,
    )


def opted_out(d: CampaignDefinition) -> str:
    return t(
        "You are unsubscribed from {sender} messages and will not hear from us again. Reply START to resubscribe.",
        sender=d.sender_name,
    )


def opted_in(d: CampaignDefinition) -> str:
    return t(
        "You are subscribed again to {sender} messages about the recall. Reply HELP for help, STOP to opt out.",
        sender=d.sender_name,
    )


def photo_while_waiting_for_serial(d: CampaignDefinition) -> str:
    # Translators: {serial_hint} is the campaign's own sentence on where the serial is printed.
    return t(
        "Thanks for the photo. Please type the serial number from the label as text. {serial_hint}",
        serial_hint=d.serial_hint,
    )


def photo_received() -> str:
    return t("Thanks, we have received your photo. It is kept with your case for our team.")


def serial_from_photo(serial: str) -> str:
    """The serial read on a photo of the label: never taken without the customer's YES."""
    return t("Is your serial {serial}? Reply YES or NO.", serial=serial)


def photo_unreadable_tip(d: CampaignDefinition) -> str:
    # Translators: {serial_hint} is the campaign's own sentence on where the serial is printed.
    return t(
        "I couldn't read the serial number on that photo. Please send another one taken closer to the "
        "label, in good light and straight on, or type the serial number. {serial_hint}",
        serial_hint=d.serial_hint,
    )


def offer_human_after_photos() -> str:
    return t(
        "I still couldn't read the serial number on your photos. Would you like a person from our team to "
        "help? Reply YES, or type the serial number."
    )


# ---------------------------------------------------------------------- goodwill (campaign `goodwill`)


def goodwill_policy(d: CampaignDefinition) -> str:
    """What the recall offers for the trouble, beyond the free remedy (only what it offers)."""
    g, parts = d.goodwill, []
    if g.discount:
        # Translators: {discount} is "10%"; {terms} the campaign's own conditions of the discount.
        parts.append(
            t(
                "{discount} off a new {brand} product ({terms})",
                discount=f"{g.discount.percent}%",
                brand=d.brand,
                terms=g.discount.text.rstrip(".।"),
            )
        )
    if g.spoiled_food:
        amount = format_money(g.spoiled_food.max_amount, d.currency)
        # Translators: one of the offers in "Beyond the free {remedies}, this recall offers: {offers}."
        parts.append(
            t(
                "a claim for food spoiled by the fault, up to {amount}, with a photo of the receipt, reviewed by a "
                "person from our team",
                amount=amount,
            )
            if g.spoiled_food.receipt_required
            # Translators: one of the offers in "Beyond the free {remedies}, this recall offers: {offers}."
            else t(
                "a claim for food spoiled by the fault, up to {amount}, reviewed by a person from our team",
                amount=amount,
            )
        )
    # Translators: two offers of the recall, "10% off ...; and a claim for food ...".
    offers = t("{first}; and {second}", first=parts[0], second=parts[1]) if len(parts) == 2 else "".join(parts)
    # Translators: {remedies} is "repair or replacement or refund"; {offers} what the recall offers beyond them.
    return t("Beyond the free {remedies}, this recall offers: {offers}.", remedies=_remedy_words(d), offers=offers)


def _each_or(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a or b or c'."""
    text = items[0] if items else ""
    for item in items[1:]:
        text = t("{first} or {last}", first=text, last=item)
    return text


def _remedy_words(d: CampaignDefinition) -> str:
    return _each_or([remedy_noun(key) for key in d.remedies.offered()])


def no_goodwill(d: CampaignDefinition) -> str:
    """A recall without `goodwill`: nothing is promised; a person may look at the case."""
    # Translators: {remedies} is "repair or replacement or refund".
    return t(
        "No compensation is set for this recall beyond the free {remedies}. "
        "If you'd like a person from our team to look at your case, reply PERSON.",
        remedies=_remedy_words(d),
    )


def goodwill_not_covered(d: CampaignDefinition, ask: str) -> str:
    if ask == "spoiled_food":
        return t(
            "Spoiled food is not part of this recall's offer. Reply PERSON if you'd like a person from our team to "
            "look at it."
        )
    return t(
        "A discount is not part of this recall's offer. Reply PERSON if you'd like a person from our team to look "
        "at it."
    )


def how_to_claim(d: CampaignDefinition) -> str | None:
    if d.goodwill.spoiled_food:
        return t(
            "To claim for spoiled food, tell me what spoiled and roughly what it cost, "
            'e.g. "milk and vegetables spoiled, about 1500".'
        )
    return None


def goodwill_noun(kind: str) -> str:
    """'spoiled food', 'discount', 'compensation' in the active language."""
    # Translators: what a claim is for, in "{reference} ({claim}, {amount})".
    nouns = {"spoiled_food": t("spoiled food"), "discount": t("discount"), "other": t("compensation")}
    return nouns[kind]


def _claim(reference: str, kind: str, amount: str | None) -> str:
    if amount:
        # Translators: a claim: {reference} "GW-1234", {claim} "spoiled food", {amount} "₹1,500".
        return t("{reference} ({claim}, {amount})", reference=reference, claim=goodwill_noun(kind), amount=amount)
    # Translators: a claim: {reference} "GW-1234", {claim} "spoiled food".
    return t("{reference} ({claim})", reference=reference, claim=goodwill_noun(kind))


def claims_recorded(claims: Sequence[tuple[str, str, str | None, bool]], receipt_awaited: bool) -> str:
    """`claims`: (reference, kind, amount label, newly recorded) of what was just claimed."""
    new = [c for c in claims if c[3]]
    described = ", ".join(_claim(ref, kind, amount) for ref, kind, amount, _ in claims)
    if new:
        # Translators: {claims} is one claim or a list, "GW-1234 (spoiled food, ₹1,500)".
        text = nt(
            "I've recorded your claim {claims}.", "I've recorded your claims {claims}.", len(claims), claims=described
        )
    else:
        # Translators: {claims} is one claim or a list, "GW-1234 (spoiled food, ₹1,500)".
        text = t("Your claim {claims} is already with our team.", claims=described)
    return _sentences(
        text,
        t("Please send a photo of the receipt here.") if receipt_awaited else None,
        t("A person from our team reviews every claim and replies here; nothing is paid before that."),
    )


def receipt_attached(reference: str) -> str:
    return t(
        "Thanks, the photo is added to your claim {reference}. A person from our team reviews it and replies here.",
        reference=reference,
    )


# ---------------------------------------------------------------------- another remedy after booking


def _new_remedy(to: str, amount_text: str | None) -> str:
    if to == "refund" and amount_text:
        # Translators: the remedy asked for, in "... will be changed to {new}" / "... and {new} requested instead".
        return t("a refund of {amount}", amount=amount_text)
    if to == "refund":
        # Translators: the remedy asked for, in "... will be changed to {new}" / "... and {new} requested instead".
        return t("a refund")
    if to == "repair":
        # Translators: the remedy asked for, in "... will be changed to {new}" / "... and {new} requested instead".
        return t("a repair")
    # Translators: the remedy asked for, in "... will be changed to {new}" / "... and {new} requested instead".
    return t("a replacement")


def confirm_switch(
    d: CampaignDefinition, to: str, current: str | None, booking: tuple[str, str, str] | None, amount_text: str | None
) -> str:
    """Asked before a change of remedy after booking. `booking`: (kind, reference, when) of
    the visit it cancels (a repair), None when only a request changes."""
    new = _new_remedy(to, amount_text)
    if booking is not None and booking[0] == "repair":
        # Translators: {new} is "a refund of ₹24,990", "a replacement".
        return t(
            "Your repair visit {reference} on {when} will be cancelled and {new} requested instead. "
            "Reply YES to confirm, or NO to keep the visit.",
            reference=booking[1],
            when=booking[2],
            new=new,
        )
    # Translators: {current} is the remedy requested now ("replacement", "refund"), {new} "a refund of ₹24,990".
    values = {"current": remedy_noun(current) if current in REMEDY_NOUNS else t("request"), "new": new}
    if booking:
        return t(
            "Your {current} request will be changed to {new} (the pickup stays as booked). Reply YES to confirm, "
            "or NO to keep it as it is.",
            **values,
        )
    return t(
        "Your {current} request will be changed to {new}. Reply YES to confirm, or NO to keep it as it is.", **values
    )


def switched(to: str, reference: str | None, amount_text: str | None, cancelled: str | None, pickup_kept: bool) -> str:
    released = t("Your repair visit {reference} is cancelled.", reference=cancelled) if cancelled else None
    if to == "repair":
        return _sentences(released, t("Done: your request is cancelled and we'll book the free repair instead."))
    if to == "refund" and amount_text:
        # Translators: {amount} is a sum of money ("₹24,990").
        recorded = t(
            "Your refund request {reference} for {amount} is recorded.", reference=reference, amount=amount_text
        )
    elif to == "refund":
        recorded = t("Your refund request {reference} is recorded.", reference=reference)
    else:
        recorded = t("Your replacement request {reference} is recorded.", reference=reference)
    next_step = t("We collect the old unit at the time already booked.") if pickup_kept else None
    return _sentences(released, recorded, next_step)


def switch_kept(reference: str | None) -> str:
    if reference:
        return t("OK, nothing changes: {reference} stays as it is.", reference=reference)
    return t("OK, nothing changes.")


def switch_not_possible(reason: str) -> str:
    if reason == "several_units":
        return t(
            "Your booked visit repairs more than one of your units, so I can't change it here without "
            "cancelling them all. It stays booked. Reply PERSON and a person from our team will change "
            "the remedy for the unit you mean."
        )
    if reason == "visit_booked":
        return t(
            "The pickup of your unit is already booked, so I can't change this here. "
            "Reply PERSON and a person from our team will change it for you."
        )
    if reason == "unit_collected":
        return t("Your old unit has already been collected, so the remedy can't change now. Reply PERSON for a person.")
    if reason == "remedy_complete":
        return t("Your remedy is already complete. Reply PERSON if something is still wrong.")
    return t("I can't change that here. Reply PERSON and a person from our team will help.")


def language_switched() -> str:
    """The confirmation of a switch of language, said in the new language."""
    # Translators: said in the language of this catalog, naming it ("... in Hindi ...").
    return t("OK, I will write in English from now on.")
