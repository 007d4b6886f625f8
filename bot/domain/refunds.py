"""Refund amounts and how money is written to customers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def refund_amount(purchase_price: Decimal | str | int | None) -> Decimal | None:
    """The refund owed for a unit: its purchase price, to the cent; None when unknown.

    A missing, unparseable, zero or negative price is unknown: an agent settles it.
    """
    if purchase_price is None:
        return None
    try:
        price = Decimal(str(purchase_price)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return price if price.is_finite() and price > 0 else None


def _indian_grouping(digits: str) -> str:
    """'13299000' → '1,32,99,000': the last three digits, then groups of two."""
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *groups, tail]) if head else ",".join([*groups, tail])


def format_money(amount: Decimal | int | str, currency: str) -> str:
    """'₹1,32,990' (INR, paise only when there are some), '$1,299.00' (USD), else 'EUR 12.50'."""
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    value = abs(value)
    currency = currency.upper()
    if currency == "INR":
        whole, cents = divmod(value, 1)
        text = "₹" + _indian_grouping(str(int(whole)))
        if cents:
            text += f"{cents:.2f}"[1:]
        return sign + text
    if currency == "USD":
        return f"{sign}${value:,.2f}"
    return f"{sign}{currency} {value:,.2f}"
