"""One row of a buyer file: the columns it may have and the check of a single row.

Pure functions, no database: `parse_header` reads the header row, `validate_row` turns
the text of one row into a `BuyerRow` or raises `RowRejected` with every reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.domain.languages import SOURCE_LANGUAGE, listed_language
from bot.domain.phones import InvalidPhone, normalise_phone
from bot.domain.serials import SerialRange, is_affected, normalise_serial

REQUIRED_COLUMNS = ("name", "phone", "serial")
OPTIONAL_COLUMNS = (
    "model",
    "purchase_date",
    "price",
    "retailer",
    "address",
    "postcode",
    "whatsapp_opt_in",
    "language",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The two leading columns of a FILE.rejects.csv: accepted and ignored, so that a fixed
# rejects file can be imported as it is.
REJECTS_REPORT_COLUMNS = ("line", "reason")

# Longest text each column may hold (the database column sizes); None = unlimited.
MAX_LENGTH: dict[str, int | None] = {
    "name": 200,
    "model": 80,
    "retailer": 120,
    "address": None,
    "postcode": 20,
}
MAX_SERIAL = 80
MAX_PRICE = Decimal("9999999999.99")  # Numeric(12, 2)

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})
_SEPARATORS = re.compile(r"[\s\-]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class HeaderError(ValueError):
    """The header row cannot be used; the message names every problem."""


class RowRejected(ValueError):
    """The row cannot be imported; the message is the reason, written to the rejects file."""


@dataclass(frozen=True, slots=True)
class RowRules:
    """What a row is checked against: the campaign's serial format and affected ranges,
    and the country of phone numbers written without a country code."""

    default_region: str
    serial_format: re.Pattern[str]
    ranges: tuple[SerialRange, ...]
    languages: tuple[str, ...] = (SOURCE_LANGUAGE,)  # the campaign's: a row's other language is warned about


@dataclass(frozen=True, slots=True)
class BuyerRow:
    """A valid row: a buyer (keyed on phone) and one unit (keyed on serial)."""

    name: str
    phone: str
    serial: str
    affected: bool
    model: str | None = None
    purchase_date: dt.date | None = None
    price: Decimal | None = None
    retailer: str | None = None
    address: str | None = None
    postcode: str | None = None
    whatsapp_opt_in: bool = False
    language: str | None = None  # canonical, one the campaign ships
    # What is wrong with the row but does not stop it (a language the campaign does not ship).
    warnings: tuple[str, ...] = ()


def canonical_column(cell: str) -> str:
    """'  Purchase Date ' → 'purchase_date': case, outer spaces, inner spaces/dashes."""
    return _SEPARATORS.sub("_", cell.strip().lower())


def parse_header(cells: Sequence[str]) -> tuple[str, ...]:
    """The canonical column names, in file order. Raises HeaderError naming each
    missing, unknown, unnamed or repeated column."""
    names = [canonical_column(cell) for cell in cells]
    problems: list[str] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        problems.append(f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    unknown = [
        cell.strip()
        for cell, name in zip(cells, names, strict=True)
        if name and name not in COLUMNS and name not in REJECTS_REPORT_COLUMNS
    ]
    if unknown:
        hint = ""
        if len(cells) == 1 and any(sep in cells[0] for sep in ";\t|"):
            hint = " (the columns must be separated by commas)"
        problems.append(
            f"unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(repr(u) for u in unknown)}{hint}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    problems += [f"column {i} has no name" for i, name in enumerate(names, 1) if not name]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    problems += [f"column {name!r} appears more than once" for name in repeated]
    if problems:
        raise HeaderError("; ".join(problems))
    return tuple(names)


def parse_opt_in(text: str) -> bool:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"whatsapp_opt_in {text.strip()!r} is not yes/no (or true/false, y/n, 1/0)")


def parse_purchase_date(text: str) -> dt.date | None:
    value = text.strip()
    if not value:
        return None
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"purchase_date {value!r} is not a date written as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"purchase_date {value!r} is not a valid date") from None


def parse_price(text: str) -> Decimal | None:
    value = text.strip()
    if not value:
        return None
    try:
        price = Decimal(value)
    except InvalidOperation:
        price = Decimal("NaN")
    if not price.is_finite():
        raise ValueError(f"price {value!r} is not a number (write it like 32990.00)")
    if price < 0:
        raise ValueError(f"price {value!r} is negative")
    if price.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"price {value!r} has more than 2 decimal places")
    if price > MAX_PRICE:
        raise ValueError(f"price {value!r} is too large")
    return price


def parse_language(text: str, languages: Sequence[str]) -> tuple[str | None, str | None]:
    """(the language, None), or (None, the warning) for a language that is not a tag or
    that the campaign does not ship: the row is imported without one."""
    value = text.strip()
    if not value:
        return None, None
    language = listed_language(value)
    if language is None:
        return None, f"language {value!r} is not a language tag like en, hi or hi-Latn; imported without a language"
    if language not in languages:
        return None, (
            f"language {value!r} is not one of the campaign's languages ({', '.join(languages)}); "
            "imported without a language"
        )
    return language, None


def _text(record: Mapping[str, str], column: str, problems: list[str]) -> str | None:
    value = record.get(column, "").strip()
    limit = MAX_LENGTH.get(column)
    if limit is not None and len(value) > limit:
        problems.append(f"{column} is longer than {limit} characters")
    return value or None


def _serial(raw: str, rules: RowRules, problems: list[str]) -> str:
    serial = normalise_serial(raw)
    if not serial:
        problems.append("serial is missing")
    elif len(serial) > MAX_SERIAL:
        problems.append(f"serial is longer than {MAX_SERIAL} characters")
    elif rules.serial_format.fullmatch(serial) is None:
        problems.append(
            f"serial {raw.strip()!r} does not match the campaign's serial format {rules.serial_format.pattern}"
        )
    return serial


def _phone(raw: str, rules: RowRules, problems: list[str]) -> str:
    if not raw.strip():
        problems.append("phone is missing")
        return ""
    try:
        return normalise_phone(raw, rules.default_region)
    except InvalidPhone as exc:
        problems.append(str(exc))
        return ""


def validate_row(record: Mapping[str, str], rules: RowRules) -> BuyerRow:
    """Check one row (canonical column → text as read); absent optional columns are
    empty. Raises RowRejected with every problem of the row, separated by '; '."""
    problems: list[str] = []
    name = _text(record, "name", problems)
    if name is None:
        problems.append("name is missing")
    phone = _phone(record["phone"], rules, problems)
    serial = _serial(record["serial"], rules, problems)
    values: dict[str, object] = {
        column: _text(record, column, problems) for column in ("model", "retailer", "address", "postcode")
    }
    for column, parse in (
        ("purchase_date", parse_purchase_date),
        ("price", parse_price),
        ("whatsapp_opt_in", parse_opt_in),
    ):
        try:
            values[column] = parse(record.get(column, ""))
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise RowRejected("; ".join(problems))
    language, warning = parse_language(record.get("language", ""), rules.languages)
    return BuyerRow(
        name=name or "",
        phone=phone,
        serial=serial,
        affected=is_affected(serial, rules.ranges),
        language=language,
        warnings=(warning,) if warning else (),
        **values,  # type: ignore[arg-type]
    )
