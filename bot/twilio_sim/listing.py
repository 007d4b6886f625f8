"""`GET Messages.json`: Twilio's filters (To, From, DateSent, DateSent<, DateSent>), and the
paging every list shares."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from bot.twilio_sim.clock import parse_date_filter
from bot.twilio_sim.errors import TwilioApiError
from bot.twilio_sim.resource import account_uri, message_json
from bot.twilio_sim.store import SimMessage

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 1000
FILTERS = ("To", "From", "DateSent", "DateSent<", "DateSent>")
T = TypeVar("T")
DateFilter = tuple[str, date, datetime | None]


def date_matches(moment: datetime | None, op: str, day: date, exact: datetime | None) -> bool:
    """`Name`, `Name<` or `Name>` (DateSent, DateCreated): day granularity, as Twilio
    documents; a time of day given with < or > is compared exactly."""
    if moment is None:
        return False
    if op.endswith("<"):
        return moment <= exact if exact else moment.date() <= day
    if op.endswith(">"):
        return moment >= exact if exact else moment.date() >= day
    return moment.date() == day


def date_filters(query: Mapping[str, str], name: str) -> list[DateFilter]:
    """The `name`, `name<` and `name>` filters of a list query; 400/20001 for a bad date."""
    dates = []
    for op in (name, f"{name}<", f"{name}>"):
        if query.get(op):
            try:
                dates.append((op, *parse_date_filter(query[op])))
            except ValueError as exc:
                raise TwilioApiError(20001, message=f"Invalid {op}: {query[op]}") from exc
    return dates


def filter_messages(messages: Sequence[SimMessage], query: Mapping[str, str]) -> list[SimMessage]:
    dates = date_filters(query, "DateSent")
    selected = []
    for message in messages:
        if query.get("To") and message.to != query["To"]:
            continue
        if query.get("From") and message.from_ != query["From"]:
            continue
        if all(date_matches(message.date_sent, op, day, exact) for op, day, exact in dates):
            selected.append(message)
    # Newest first, as Twilio lists messages; by creation, which never changes, so pages stay
    # consistent while messages move through their statuses.
    selected.sort(key=lambda m: (m.date_created, m.seq), reverse=True)
    return selected


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _uri(base: str, filters: list[tuple[str, str]], page_size: int, page: int, token: str | None) -> str:
    params = [*filters, ("PageSize", str(page_size)), ("Page", str(page))]
    if token:
        params.append(("PageToken", token))
    return f"{base}?{urlencode(params)}"


def page_of(
    items: Sequence[T],
    sid_of: Callable[[T], str],
    query: Mapping[str, str],
    base: str,
    filters: list[tuple[str, str]],
) -> tuple[list[T], dict[str, Any]]:
    """One page of an already filtered, ordered list, and Twilio's paging fields. PageToken
    PA<sid> starts after that item, PB<sid> ends before it; without a token the page is
    Page × PageSize."""
    page_size = min(max(_int(query.get("PageSize"), DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    page = max(_int(query.get("Page"), 0), 0)
    token = query.get("PageToken") or ""
    index = {sid_of(m): i for i, m in enumerate(items)}
    if token[:2] == "PA" and token[2:] in index:
        start = index[token[2:]] + 1
    elif token[:2] == "PB" and token[2:] in index:
        start = max(index[token[2:]] - page_size, 0)
    else:
        start = page * page_size
    chosen = list(items[start : start + page_size])
    has_next = start + page_size < len(items) and bool(chosen)
    fields = {
        "page": page,
        "page_size": page_size,
        "start": start,
        "end": start + max(len(chosen) - 1, 0),
        "uri": _uri(base, filters, page_size, page, token or None),
        "first_page_uri": _uri(base, filters, page_size, 0, None),
        "next_page_uri": _uri(base, filters, page_size, page + 1, f"PA{sid_of(chosen[-1])}") if has_next else None,
        "previous_page_uri": (
            _uri(base, filters, page_size, max(page - 1, 0), f"PB{sid_of(chosen[0])}") if start > 0 and chosen else None
        ),
    }
    return chosen, fields


def list_page(messages: Sequence[SimMessage], query: Mapping[str, str], account_sid: str) -> dict[str, Any]:
    """One page of `GET Messages.json`."""
    selected = filter_messages(messages, query)
    base = f"{account_uri(account_sid)}/Messages.json"
    filters = [(name, query[name]) for name in FILTERS if query.get(name)]
    items, fields = page_of(selected, lambda m: m.sid, query, base, filters)
    return {"messages": [message_json(m, account_sid) for m in items], **fields}
