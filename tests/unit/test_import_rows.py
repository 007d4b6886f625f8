"""One buyer row, checked on its own: header, field parsers and `validate_row` (no DB)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from bot.domain.serials import SerialRange
from bot.importing.rows import (
    BuyerRow,
    HeaderError,
    RowRejected,
    RowRules,
    canonical_column,
    parse_header,
    parse_opt_in,
    parse_price,
    parse_purchase_date,
    validate_row,
)

RULES = RowRules(
    default_region="IN",
    serial_format=re.compile(r"^AR26[A-Z][0-9]{6}$"),
    ranges=(SerialRange("FF260", "AR26C000001", "AR26G999999"),),
)
ASHA = {"name": "Asha Rao", "phone": "+919812300001", "serial": "AR26D004512"}


def row(**changes: str) -> dict[str, str]:
    return {**ASHA, **changes}


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["name", "phone", "serial"], ("name", "phone", "serial")),
        (["Serial", " PHONE ", "Name"], ("serial", "phone", "name")),
        (
            ["name", "phone", "serial", "Purchase Date", "WhatsApp opt-in"],
            ("name", "phone", "serial", "purchase_date", "whatsapp_opt_in"),
        ),
        (
            ["postcode", "name", "retailer", "phone", "price", "serial", "model", "address"],
            ("postcode", "name", "retailer", "phone", "price", "serial", "model", "address"),
        ),
    ],
)
def test_header_columns_in_any_order_and_case(cells, expected):
    assert parse_header(cells) == expected


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["name", "phone"], "missing required column: serial"),
        (["model"], "missing required columns: name, phone, serial"),
        (["name", "phone", "serial", "colour", "Notes"], "unknown columns: 'colour', 'Notes'"),
        (["name", "phone", "serial", ""], "column 4 has no name"),
        (["name", "phone", "serial", "Phone"], "column 'phone' appears more than once"),
        (["name;phone;serial"], "the columns must be separated by commas"),
    ],
)
def test_header_problems_are_named(cells, message):
    with pytest.raises(HeaderError, match=re.escape(message)):
        parse_header(cells)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(" Purchase Date ", "purchase_date"), ("WHATSAPP-OPT-IN", "whatsapp_opt_in"), ("phone", "phone")],
)
def test_canonical_column(cell, expected):
    assert canonical_column(cell) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        (" no ", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_opt_in_values(text, expected):
    assert parse_opt_in(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("32990", Decimal("32990")), ("32990.50", Decimal("32990.50")), (" 0 ", Decimal("0")), ("", None)],
)
def test_prices(text, expected):
    assert parse_price(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-03-14", dt.date(2026, 3, 14)), ("", None), ("  2026-07-01 ", dt.date(2026, 7, 1))],
)
def test_purchase_dates(text, expected):
    assert parse_purchase_date(text) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, BuyerRow("Asha Rao", "+919812300001", "AR26D004512", affected=True)),
        (
            {"phone": "98123 00001", "serial": "ar26-d 004512", "name": "  Asha Rao "},
            BuyerRow("Asha Rao", "+919812300001", "AR26D004512", affected=True),
        ),
        ({"phone": "+91-98123-00001"}, BuyerRow("Asha Rao", "+919812300001", "AR26D004512", affected=True)),
        ({"phone": "098123 00001"}, BuyerRow("Asha Rao", "+919812300001", "AR26D004512", affected=True)),
        # Matches the format but is outside the affected ranges: imported, not affected.
        ({"serial": "AR26B000123"}, BuyerRow("Asha Rao", "+919812300001", "AR26B000123", affected=False)),
        ({"serial": "AR26H000100"}, BuyerRow("Asha Rao", "+919812300001", "AR26H000100", affected=False)),
        (
            {
                "model": "FF260",
                "purchase_date": "2026-04-02",
                "price": "32990",
                "retailer": "Croma",
                "address": "12 FC Road",
                "postcode": "411001",
                "whatsapp_opt_in": "yes",
            },
            BuyerRow(
                "Asha Rao",
                "+919812300001",
                "AR26D004512",
                affected=True,
                model="FF260",
                purchase_date=dt.date(2026, 4, 2),
                price=Decimal("32990"),
                retailer="Croma",
                address="12 FC Road",
                postcode="411001",
                whatsapp_opt_in=True,
            ),
        ),
        (
            {"model": " ", "retailer": "", "address": "", "postcode": "", "price": "", "purchase_date": ""},
            BuyerRow("Asha Rao", "+919812300001", "AR26D004512", affected=True),
        ),
    ],
)
def test_valid_rows(changes, expected):
    assert validate_row(row(**changes), RULES) == expected


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"phone": "12345"}, "phone '12345' is not a valid number"),
        ({"phone": "hello"}, "phone 'hello' is not a phone number"),
        ({"phone": "  "}, "phone is missing"),
        ({"serial": ""}, "serial is missing"),
        ({"serial": " - "}, "serial is missing"),
        ({"serial": "XY12"}, "serial 'XY12' does not match the campaign's serial format ^AR26[A-Z][0-9]{6}$"),
        ({"serial": "AR26D04512"}, "serial 'AR26D04512' does not match the campaign's serial format"),
        ({"serial": "AR26D" + "0" * 80}, "serial is longer than 80 characters"),
        ({"name": " "}, "name is missing"),
        ({"name": "x" * 201}, "name is longer than 200 characters"),
        ({"postcode": "4" * 21}, "postcode is longer than 20 characters"),
        ({"purchase_date": "14/03/2026"}, "purchase_date '14/03/2026' is not a date written as YYYY-MM-DD"),
        ({"purchase_date": "2026-02-30"}, "purchase_date '2026-02-30' is not a valid date"),
        ({"purchase_date": "20260314"}, "purchase_date '20260314' is not a date written as YYYY-MM-DD"),
        ({"price": "32,990"}, "price '32,990' is not a number (write it like 32990.00)"),
        ({"price": "abc"}, "price 'abc' is not a number"),
        ({"price": "NaN"}, "price 'NaN' is not a number"),
        ({"price": "-1"}, "price '-1' is negative"),
        ({"price": "10.005"}, "price '10.005' has more than 2 decimal places"),
        ({"price": "100000000000"}, "price '100000000000' is too large"),
        ({"whatsapp_opt_in": "maybe"}, "whatsapp_opt_in 'maybe' is not yes/no (or true/false, y/n, 1/0)"),
        (
            {"name": "", "phone": "12345", "serial": ""},
            "name is missing; phone '12345' is not a valid number; serial is missing",
        ),
    ],
)
def test_rejected_rows_say_why(changes, reason):
    with pytest.raises(RowRejected) as caught:
        validate_row(row(**changes), RULES)
    assert str(caught.value).startswith(reason)
