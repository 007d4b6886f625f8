"""`import_buyers`: a buyer CSV file into a campaign, streamed in batches.

The import is one transaction: a whole-file problem (ImportFileError) part-way
through leaves the database as it was. Rows that cannot be imported are not: they are
counted and written to `FILE.rejects.csv` with their line number and reason. Rows
imported with a problem that does not stop them (a `language` the campaign does not ship:
imported without one) come back as warnings, each with its line and reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import phonenumbers
from sqlalchemy.orm import Session, sessionmaker

from bot.campaigns.definition import parse_definition
from bot.campaigns.loader import get_campaign
from bot.importing.csvfile import CsvSource, Record
from bot.importing.errors import ImportFileError
from bot.importing.rejects import RejectsFile, rejects_path_for
from bot.importing.rows import BuyerRow, HeaderError, RowRejected, RowRules, parse_header, validate_row
from bot.importing.store import BatchResult, BuyerStore
from bot.models import ImportRun, utcnow

SOURCE_FILE_MAX = 500  # ImportRun.source_file
MAX_WARNINGS = 1000  # warnings kept with their line (all are counted)


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    rejects_path: Path | None
    warned: int = 0  # rows imported with a warning
    warnings: tuple[tuple[int, str], ...] = ()  # (line, reason), the first MAX_WARNINGS


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def _rules(campaign_definition: dict[str, object], country: str | None) -> RowRules:
    definition = parse_definition(campaign_definition)
    region = (country or definition.country).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown country {region!r}: use a two-letter ISO code such as IN")
    return RowRules(
        default_region=region,
        serial_format=re.compile(definition.affected.serial_format),
        ranges=tuple(definition.affected.serial_ranges()),
        languages=tuple(definition.languages),
    )


def import_buyers(
    session_factory: sessionmaker[Session],
    campaign_slug: str,
    csv_path: Path,
    *,
    country: str | None = None,
    batch_size: int = 2000,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import the buyers in `csv_path` into the campaign `campaign_slug`.

    `country` is the region of phone numbers without a country code (default: the
    campaign's). `on_progress(n)` is called with the bytes read since its last call.
    Raises LookupError (no such campaign), ValueError (unknown country, bad batch_size)
    and ImportFileError (the file cannot be imported at all).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    csv_path = Path(csv_path)
    started = utcnow()
    totals = BatchResult()
    warnings = _Warnings()
    with session_factory() as session, session.begin():
        campaign = get_campaign(session, campaign_slug)
        rules = _rules(campaign.definition, country)
        with CsvSource(csv_path) as source, RejectsFile(rejects_path_for(csv_path), source.header) as rejects:
            try:
                columns = parse_header(source.header)
            except HeaderError as exc:
                raise ImportFileError(f"{csv_path}: {exc}") from None
            store = BuyerStore(session, campaign.id, columns, now=started)
            read = 0
            for batch in _batches(source.records(), batch_size):
                _import_batch(batch, columns, rules, store, rejects, totals, warnings)
                if on_progress is not None:
                    on_progress(source.position - read)
                    read = source.position
        rows = totals.imported + totals.updated + totals.unchanged + rejects.count
        session.add(
            ImportRun(
                campaign_id=campaign.id,
                source_file=str(csv_path.resolve())[-SOURCE_FILE_MAX:],
                started_at=started,
                finished_at=utcnow(),
                rows=rows,
                imported=totals.imported,
                updated=totals.updated,
                unchanged=totals.unchanged,
                rejected=rejects.count,
            )
        )
    return ImportSummary(
        rows=rows,
        imported=totals.imported,
        updated=totals.updated,
        unchanged=totals.unchanged,
        rejected=rejects.count,
        rejects_path=rejects.path if rejects.count else None,
        warned=warnings.count,
        warnings=tuple(warnings.kept),
    )


@dataclass
class _Warnings:
    count: int = 0
    kept: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, reason: str) -> None:
        self.count += 1
        if len(self.kept) < MAX_WARNINGS:
            self.kept.append((line, reason))


def _import_batch(
    batch: list[Record],
    columns: tuple[str, ...],
    rules: RowRules,
    store: BuyerStore,
    rejects: RejectsFile,
    totals: BatchResult,
    warnings: _Warnings,
) -> None:
    """Validate a batch, write its valid rows, and record its rejects (and the warnings of
    the rows written) in line order."""
    valid: list[tuple[int, BuyerRow]] = []
    rejected: list[tuple[int, str]] = []
    for record in batch:
        if len(record.fields) != len(columns):
            rejected.append((record.line, f"expected {len(columns)} fields, got {len(record.fields)}"))
            continue
        try:
            valid.append((record.line, validate_row(dict(zip(columns, record.fields, strict=True)), rules)))
        except RowRejected as exc:
            rejected.append((record.line, str(exc)))
    result = store.write(valid)
    totals.add_counts(result)
    fields = {record.line: record.fields for record in batch}
    for line, reason in sorted(rejected + result.rejects):
        rejects.add(line, reason, fields[line])
    refused = {line for line, _ in result.rejects}
    for line, row in valid:
        if line not in refused:
            for reason in row.warnings:
                warnings.add(line, reason)
