"""Writing validated buyer rows into one campaign, a batch at a time.

Per batch: IN queries find the units (by serial) and customers (by phone) that exist,
the rows are resolved in file order in memory, and then new customers, changed
customers, new units and changed units are each written with one executemany. No ORM
objects are made, so memory holds one batch (plus the per-file memory below).

Rules, keyed on (phone, serial):
- a customer per (campaign, phone), a unit per (campaign, serial);
- the customer's fields come from the first row of the file with that phone, so a
  buyer listed with several units is written once and re-imports stay unchanged;
- a serial registered to another phone is rejected, never moved;
- a serial seen earlier in the file is rejected ("duplicate of line N" for the same
  phone);
- for the last two rules the file's serials (with their line) and phones are kept in
  memory: about 200 bytes a row, 20 MB for 100,000 rows;
- optional columns absent from the file are left as they are in the database;
- `language`: kept as the customer's language (source `list`) unless the customer chose
  one (`chosen`: they asked for it, or an agent set it); an empty cell leaves it as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Row, insert, select, text, update
from sqlalchemy.orm import Session

from bot.domain.phones import mask_phone
from bot.importing.rows import BuyerRow
from bot.models import Customer, Unit
from bot.models.customer import LanguageSource

CUSTOMER_FIELDS = ("name", "whatsapp_opt_in", "address", "postcode")
UNIT_FIELDS = ("model", "purchase_date", "price", "retailer")
# Values per IN query, well under SQLite's limit on bound parameters.
MAX_IN = 1024
# PostgreSQL re-reads table statistics when an import has written this many rows, and
# again each time that number doubles (see `_refresh_statistics`).
ANALYZE_AFTER = 1000

T = TypeVar("T")


@dataclass
class BatchResult:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)

    def add_counts(self, other: BatchResult) -> None:
        self.imported += other.imported
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class _Pending:
    new_customers: list[dict[str, Any]] = field(default_factory=list)
    changed_customers: list[dict[str, Any]] = field(default_factory=list)
    new_units: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    changed_units: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _in_lists(values: Sequence[T]) -> Iterator[list[T]]:
    """`values` in lists of at most MAX_IN for `IN (...)`, each padded (by repeating its
    last value) to a power of two: the driver keeps each distinct statement prepared,
    so few distinct lengths keep memory flat."""
    for start in range(0, len(values), MAX_IN):
        chunk = list(values[start : start + MAX_IN])
        size = 1 << (len(chunk) - 1).bit_length()
        yield chunk + chunk[-1:] * (size - len(chunk))


class BuyerStore:
    """Writes the rows of one file into one campaign; call `write` once per batch, in
    file order, inside one transaction."""

    def __init__(self, session: Session, campaign_id: int, columns: Collection[str], now: dt.datetime) -> None:
        self._session = session
        self._campaign_id = campaign_id
        self._now = now
        self._customer_fields = [f for f in CUSTOMER_FIELDS if f in columns]
        self._language = "language" in columns
        self._unit_fields = [f for f in UNIT_FIELDS if f in columns] + ["affected"]
        self._serial_lines: dict[str, int] = {}
        self._phones_seen: set[str] = set()
        self._written = 0
        self._analyze_at = ANALYZE_AFTER

    def write(self, rows: Sequence[tuple[int, BuyerRow]]) -> BatchResult:
        """Import `(line, row)` pairs; returns the counts and the `(line, reason)` rejects."""
        units = self._existing_units(sorted({row.serial for _, row in rows}))
        customers = self._existing_customers(sorted({row.phone for _, row in rows}))
        result, pending = BatchResult(), _Pending()
        owners = {serial: unit.phone for serial, unit in units.items()}  # serial → phone, as resolved
        for line, row in rows:
            reason = self._conflict(row, units.get(row.serial), owners.get(row.serial))
            if reason:
                result.rejects.append((line, reason))
                continue
            self._serial_lines[row.serial] = line
            owners[row.serial] = row.phone
            customer_changed = self._resolve_customer(row, customers.get(row.phone), pending)
            self._resolve_unit(row, units.get(row.serial), customer_changed, pending, result)
        self._flush(pending, {phone: c.id for phone, c in customers.items()})
        self._refresh_statistics(len(pending.new_customers) + len(pending.new_units))
        return result

    def _conflict(self, row: BuyerRow, unit: Row[Any] | None, owner: str | None) -> str | None:
        first = self._serial_lines.get(row.serial)
        if first is not None:
            if owner == row.phone:
                return f"duplicate of line {first}"
            return f"serial {row.serial} is already on line {first} with another phone"
        if unit is not None and unit.phone is not None and unit.phone != row.phone:
            return f"serial {row.serial} is already registered to another phone ({mask_phone(unit.phone)})"
        return None

    def _resolve_customer(self, row: BuyerRow, current: Row[Any] | None, pending: _Pending) -> bool:
        """Queue the customer's insert or update; True when an existing one changes."""
        if row.phone in self._phones_seen:
            return False
        self._phones_seen.add(row.phone)
        values = {f: getattr(row, f) for f in self._customer_fields}
        if self._language:
            values.update(self._language_values(row, current))
        if current is None:
            pending.new_customers.append(
                {
                    "campaign_id": self._campaign_id,
                    "phone": row.phone,
                    "source": "import",
                    "created_at": self._now,
                    "updated_at": self._now,
                    **values,
                }
            )
            return False
        if all(getattr(current, f) == v for f, v in values.items()):
            return False
        pending.changed_customers.append({"id": current.id, "updated_at": self._now, **values})
        return True

    @staticmethod
    def _language_values(row: BuyerRow, current: Row[Any] | None) -> dict[str, Any]:
        """The customer's language and its source after this row (every row the same keys,
        for the executemany): the list's language, unless there is none or they chose one."""
        if current is not None and (row.language is None or current.language_source == LanguageSource.CHOSEN):
            return {"language": current.language, "language_source": current.language_source}
        if row.language is None:
            return {"language": None, "language_source": None}
        return {"language": row.language, "language_source": LanguageSource.LIST}

    def _resolve_unit(
        self, row: BuyerRow, current: Row[Any] | None, customer_changed: bool, pending: _Pending, result: BatchResult
    ) -> None:
        values = {f: getattr(row, f) for f in self._unit_fields}
        if current is None:
            pending.new_units.append(
                (
                    row.phone,
                    {
                        "campaign_id": self._campaign_id,
                        "serial": row.serial,
                        "created_at": self._now,
                        "updated_at": self._now,
                        **values,
                    },
                )
            )
            result.imported += 1
            return
        unit_changed = current.phone is None or any(getattr(current, f) != v for f, v in values.items())
        if unit_changed:
            pending.changed_units.append((row.phone, {"id": current.id, "updated_at": self._now, **values}))
        if unit_changed or customer_changed:
            result.updated += 1
        else:
            result.unchanged += 1

    def _existing_units(self, serials: Sequence[str]) -> dict[str, Row[Any]]:
        columns = [getattr(Unit, f) for f in self._unit_fields]
        found: dict[str, Row[Any]] = {}
        for chunk in _in_lists(serials):
            query = (
                select(Unit.id, Unit.serial, Customer.phone, *columns)
                .outerjoin(Customer, Unit.customer_id == Customer.id)
                .where(Unit.campaign_id == self._campaign_id, Unit.serial.in_(chunk))
            )
            found.update((row.serial, row) for row in self._session.execute(query))
        return found

    def _existing_customers(self, phones: Sequence[str]) -> dict[str, Row[Any]]:
        columns = [getattr(Customer, f) for f in self._customer_fields]
        if self._language:
            columns += [Customer.language, Customer.language_source]
        found: dict[str, Row[Any]] = {}
        for chunk in _in_lists(phones):
            query = select(Customer.id, Customer.phone, *columns).where(
                Customer.campaign_id == self._campaign_id, Customer.phone.in_(chunk)
            )
            found.update((row.phone, row) for row in self._session.execute(query))
        return found

    def _refresh_statistics(self, written: int) -> None:
        """PostgreSQL plans the IN lookups from table statistics, which a load inside one
        transaction leaves stale (autovacuum cannot see uncommitted rows). Believing the
        campaign has a handful of units, it filters the whole campaign for each lookup
        and the import turns quadratic (minutes for 100,000 rows). ANALYZE counts this
        transaction's own rows, so run it each time the rows written have doubled."""
        self._written += written
        if self._written < self._analyze_at or self._session.get_bind().dialect.name != "postgresql":
            return
        self._session.execute(text("ANALYZE customers, units"))
        self._analyze_at = 2 * self._written

    def _flush(self, pending: _Pending, customer_ids: dict[str, int]) -> None:
        session = self._session
        if pending.new_customers:
            # A plain executemany, then the new ids by phone: INSERT ... RETURNING would
            # send a differently sized multi-row statement per batch, and SQLite drivers
            # keep each one prepared, so memory would grow with the file.
            session.execute(insert(Customer.__table__), pending.new_customers)
            inserted = self._existing_customers([c["phone"] for c in pending.new_customers])
            customer_ids.update((phone, row.id) for phone, row in inserted.items())
        if pending.changed_customers:
            session.execute(update(Customer), pending.changed_customers)
        if pending.new_units:
            session.execute(
                insert(Unit.__table__),
                [{**values, "customer_id": customer_ids[phone]} for phone, values in pending.new_units],
            )
        if pending.changed_units:
            session.execute(
                update(Unit),
                [{**values, "customer_id": customer_ids[phone]} for phone, values in pending.changed_units],
            )
