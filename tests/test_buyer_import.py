"""Buyer import (`recall customers import`), end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.context import AppContext
from bot.cli.customers import customers
from bot.importing import ImportFileError, ImportSummary, import_buyers
from bot.importing.csvfile import CsvSource
from bot.models import Customer, ImportRun, Unit
from bot.settings import Settings
from tests.factories import demo_campaign

SLUG = "arctica-ff260-valve-2026"
DATA = Path(__file__).parent / "data"
HEADER = "name,phone,serial,model,purchase_date,price,retailer,address,postcode,whatsapp_opt_in"
ASHA = 'Asha Rao,+919812300001,AR26D004512,FF260,2026-04-02,32990,Croma,"12 FC Road, Pune",411001,yes'
VIKRAM = "Vikram Nair,98123 00002,ar26-b 000123,FF260,2026-03-15,29990,Vijay Sales,,560001,no"


@pytest.fixture
def factory(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """The session factory of a database holding the demo campaign."""
    with session_factory.begin() as session:
        demo_campaign(session)
    return session_factory


def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(summary: ImportSummary) -> tuple[int, int, int, int, int]:
    return summary.rows, summary.imported, summary.updated, summary.unchanged, summary.rejected


def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def units(factory: sessionmaker[Session]) -> dict[str, tuple[str | None, bool]]:
    """serial → (owner's phone, affected)."""
    with factory() as session:
        rows = session.execute(
            select(Unit.serial, Customer.phone, Unit.affected).outerjoin(Customer, Unit.customer_id == Customer.id)
        )
        return {serial: (phone, affected) for serial, phone, affected in rows}


# --- the acceptance test ------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [2000, 2], ids=["one-batch", "batches-of-2"])
def test_messy_file_rejects_each_bad_row_with_its_line_and_reimport_changes_nothing(factory, tmp_path, batch_size):
    """Bad phone, missing serial, serial in the wrong format, a repeated row, a ragged row,
    bad date/price/opt-in, missing name, a serial already given to another phone; a
    quoted address spanning two lines, a blank line, and a buyer with two units."""
    path = tmp_path / "buyers.csv"
    shutil.copy(DATA / "buyers_messy.csv", path)

    first = import_buyers(factory, SLUG, path, batch_size=batch_size)

    assert counts(first) == (13, 5, 0, 0, 8)
    assert first.rejects_path == tmp_path / "buyers.rejects.csv"
    assert read_rows(first.rejects_path) == read_rows(DATA / "buyers_messy.rejects.csv")
    assert units(factory) == {
        "AR26D004512": ("+919812300001", True),
        "AR26E777777": ("+919812300001", True),  # Asha's second unit
        "AR26B000123": ("+919812300002", False),  # matches the format, outside the ranges
        "AR26C123456": ("+919812300007", True),
        "AR26H000100": ("+919812300011", False),
    }
    with factory() as session:
        kavya = session.scalar(select(Customer).where(Customer.phone == "+919812300007"))
        assert kavya.address == "Flat 4B,\nSea View Apartments, Bandra"
        assert kavya.postcode == "400050" and kavya.whatsapp_opt_in is True
        asha_unit = session.scalar(select(Unit).where(Unit.serial == "AR26D004512"))
        assert asha_unit.price == Decimal("32990") and asha_unit.retailer == "Croma"
        assert str(asha_unit.purchase_date) == "2026-04-02"
        assert session.scalar(select(func.count()).select_from(Customer)) == 4

    second = import_buyers(factory, SLUG, path, batch_size=batch_size)

    assert counts(second) == (13, 0, 0, 5, 8)
    assert read_rows(second.rejects_path) == read_rows(DATA / "buyers_messy.rejects.csv")
    with factory() as session:
        runs = session.scalars(select(ImportRun).order_by(ImportRun.id)).all()
    assert [(r.rows, r.imported, r.updated, r.unchanged, r.rejected) for r in runs] == [
        (13, 5, 0, 0, 8),
        (13, 0, 0, 5, 8),
    ]
    assert runs[0].source_file == str(path.resolve())
    assert runs[0].started_at.tzinfo is not None and runs[0].finished_at >= runs[0].started_at


# --- updates and ownership ------------------------------------------------------------


def test_a_changed_field_updates_that_row_only(factory, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", HEADER, ASHA, VIKRAM)
    import_buyers(factory, SLUG, path)
    write_csv(path, HEADER, ASHA.replace("32990", "31990"), VIKRAM)

    assert counts(import_buyers(factory, SLUG, path)) == (2, 0, 1, 1, 0)
    with factory() as session:
        assert session.scalar(select(Unit.price).where(Unit.serial == "AR26D004512")) == Decimal("31990")


def test_a_changed_customer_field_counts_as_updated(factory, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", HEADER, ASHA, VIKRAM)
    import_buyers(factory, SLUG, path)
    write_csv(path, HEADER, ASHA.replace(",yes", ",no"), VIKRAM.replace("Vikram Nair", "Vikram S. Nair"))

    assert counts(import_buyers(factory, SLUG, path)) == (2, 0, 2, 0, 0)
    with factory() as session:
        assert session.scalar(select(Customer.whatsapp_opt_in).where(Customer.phone == "+919812300001")) is False
        assert session.scalar(select(Customer.name).where(Customer.phone == "+919812300002")) == "Vikram S. Nair"


def test_a_serial_registered_to_another_phone_is_rejected_not_moved(factory, tmp_path):
    import_buyers(factory, SLUG, write_csv(tmp_path / "first.csv", HEADER, ASHA))
    path = write_csv(tmp_path / "second.csv", HEADER, ASHA.replace("Asha Rao,+919812300001", "Divya K,+919812300010"))

    summary = import_buyers(factory, SLUG, path)

    assert counts(summary) == (1, 0, 0, 0, 1)
    assert read_rows(summary.rejects_path)[1][:2] == [
        "2",
        "serial AR26D004512 is already registered to another phone (+91******0001)",
    ]
    assert units(factory)["AR26D004512"] == ("+919812300001", True)


def test_the_first_row_of_a_buyer_sets_their_details(factory, tmp_path):
    """A buyer with two units written with different details: the first row wins, so
    importing the file again is unchanged."""
    second_unit = ASHA.replace("Asha Rao", "A. Rao").replace("AR26D004512", "AR26E777777")
    path = write_csv(tmp_path / "buyers.csv", HEADER, ASHA, second_unit)

    assert counts(import_buyers(factory, SLUG, path)) == (2, 2, 0, 0, 0)
    assert counts(import_buyers(factory, SLUG, path)) == (2, 0, 0, 2, 0)
    with factory() as session:
        assert session.scalars(select(Customer.name)).all() == ["Asha Rao"]


def test_columns_in_another_order_import_the_same(factory, tmp_path):
    import_buyers(factory, SLUG, write_csv(tmp_path / "buyers.csv", HEADER, ASHA, VIKRAM))
    shuffled = write_csv(
        tmp_path / "shuffled.csv",
        " WhatsApp_Opt_In ,Serial,POSTCODE,price,Name,address,Phone,model,retailer,purchase_date",
        'yes,AR26D004512,411001,32990,Asha Rao,"12 FC Road, Pune",+919812300001,FF260,Croma,2026-04-02',
        "no,ar26-b 000123,560001,29990,Vikram Nair,,98123 00002,FF260,Vijay Sales,2026-03-15",
    )

    assert counts(import_buyers(factory, SLUG, shuffled)) == (2, 0, 0, 2, 0)


def test_optional_columns_absent_from_the_file_are_left_alone(factory, tmp_path):
    import_buyers(factory, SLUG, write_csv(tmp_path / "full.csv", HEADER, ASHA))
    bare = write_csv(tmp_path / "bare.csv", "phone,serial,name", "98123 00001,AR26D004512,Asha Rao")

    assert counts(import_buyers(factory, SLUG, bare)) == (1, 0, 0, 1, 0)
    with factory() as session:
        unit = session.scalar(select(Unit))
        customer = session.scalar(select(Customer))
    assert (unit.price, unit.retailer, unit.model) == (Decimal("32990"), "Croma", "FF260")
    assert (customer.postcode, customer.whatsapp_opt_in) == ("411001", True)


# --- the file itself ------------------------------------------------------------------


def test_a_missing_required_column_imports_nothing(factory, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", "name,phone,model", "Asha Rao,+919812300001,FF260")

    with pytest.raises(ImportFileError, match="missing required column: serial"):
        import_buyers(factory, SLUG, path)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 0
        assert session.scalar(select(func.count()).select_from(ImportRun)) == 0


def test_unknown_columns_are_named(factory, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", "name,phone,serial,colour", "Asha Rao,+919812300001,AR26D004512,red")

    with pytest.raises(ImportFileError, match="unknown column: 'colour'"):
        import_buyers(factory, SLUG, path)


def test_an_empty_file_has_no_header(factory, tmp_path):
    path = tmp_path / "buyers.csv"
    path.write_text("\n\n")

    with pytest.raises(ImportFileError, match="is empty"):
        import_buyers(factory, SLUG, path)


def test_a_file_that_is_not_utf8_names_the_line_and_imports_nothing(factory, tmp_path):
    path = tmp_path / "buyers.csv"
    lines = [HEADER, ASHA, VIKRAM, "José Dias,+919812300003,AR26D000003,,,,,,,"]
    path.write_bytes("\n".join(lines).encode("latin-1"))

    with pytest.raises(ImportFileError, match="not UTF-8 text: line 4 has the byte 0xe9"):
        import_buyers(factory, SLUG, path, batch_size=1)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Unit)) == 0
    assert not (tmp_path / "buyers.rejects.csv").exists()


def test_a_byte_order_mark_and_windows_line_ends_are_fine(factory, tmp_path):
    path = tmp_path / "buyers.csv"
    path.write_bytes(("\r\n".join([HEADER, ASHA, "bad,12345,AR26D000009,,,,,,,"]) + "\r\n").encode("utf-8-sig"))

    summary = import_buyers(factory, SLUG, path)

    assert counts(summary) == (2, 1, 0, 0, 1)
    assert read_rows(summary.rejects_path)[1][:2] == ["3", "phone '12345' is not a valid number"]


def test_an_unclosed_quote_is_a_file_error_naming_its_line(factory, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", HEADER, ASHA, 'Vikram,"+919812300002,AR26D000002,,,,,,,')

    with pytest.raises(ImportFileError, match="line 3: broken CSV quoting"):
        import_buyers(factory, SLUG, path)


def test_no_rejects_means_no_rejects_file(factory, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", HEADER, ASHA, "bad,12345,AR26D000009,,,,,,,")
    assert import_buyers(factory, SLUG, path).rejects_path == tmp_path / "buyers.rejects.csv"
    write_csv(path, HEADER, ASHA)

    assert import_buyers(factory, SLUG, path).rejects_path is None
    assert not (tmp_path / "buyers.rejects.csv").exists()


def test_progress_reports_every_byte(factory, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", HEADER, *[ASHA.replace("004512", f"{i:06d}") for i in range(1, 11)])
    steps: list[int] = []

    import_buyers(factory, SLUG, path, batch_size=3, on_progress=steps.append)

    assert len(steps) == 4 and sum(steps) == path.stat().st_size


def test_an_unknown_campaign_is_a_lookup_error(factory, tmp_path):
    with pytest.raises(LookupError, match="no campaign 'nope'"):
        import_buyers(factory, "nope", write_csv(tmp_path / "buyers.csv", HEADER, ASHA))


def test_records_start_on_their_physical_line(tmp_path):
    path = write_csv(tmp_path / "x.csv", "a,b", "", '1,"two', 'lines"', ",", '2,"three', "", 'lines"', "3,x")
    with CsvSource(path) as source:
        assert source.header == ["a", "b"]
        assert [(r.line, r.fields) for r in source.records()] == [
            (3, ["1", "two\nlines"]),
            (6, ["2", "three\n\nlines"]),
            (9, ["3", "x"]),
        ]


# --- the command line -------------------------------------------------------------------


@pytest.fixture
def recall_customers(db_url):
    app = AppContext(settings=Settings(database_url=db_url))

    def run(*args: str):
        return CliRunner().invoke(customers, list(args), obj=app)

    yield run
    if "engine" in app.__dict__:
        app.engine.dispose()


def test_cli_import_reports_counts_and_rejects(factory, recall_customers, tmp_path):
    path = tmp_path / "buyers.csv"
    shutil.copy(DATA / "buyers_messy.csv", path)

    result = recall_customers("import", str(path), "--campaign", SLUG, "--no-progress")

    assert result.exit_code == 0, result.output
    assert "imported 5, updated 0, unchanged 0, rejected 8 (of 13 rows)" in result.output
    assert f"rejected rows written to {tmp_path / 'buyers.rejects.csv'}" in result.output
    again = recall_customers("import", str(path), "--campaign", SLUG, "--progress", "--country", "in")
    assert again.exit_code == 0, again.output
    assert "imported 0, updated 0, unchanged 5, rejected 8 (of 13 rows)" in again.output


def test_cli_errors_exit_1_with_the_reason(factory, recall_customers, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", "name,phone", "Asha Rao,+919812300001")

    result = recall_customers("import", str(path), "--campaign", SLUG)
    assert result.exit_code == 1
    assert "missing required column: serial" in result.output

    result = recall_customers("import", str(path), "--campaign", "nope")
    assert result.exit_code == 1
    assert "no campaign 'nope'" in result.output

    result = recall_customers("import", str(path), "--campaign", SLUG, "--country", "XX")
    assert result.exit_code == 2
    assert "'XX' is not a two-letter country code" in result.output


def test_a_larger_file_in_many_batches(factory, tmp_path):
    """Enough rows for PostgreSQL to refresh its statistics part-way (and more than one
    IN list per batch); one buyer in ten owns two units."""
    lines = [HEADER]
    for i in range(1, 2601):
        phone = f"+91981{(i - 1 if i % 10 == 5 else i):07d}"
        lines.append(f"Buyer {i},{phone},AR26D{i:06d},FF260,2026-04-02,32990,Croma,,411001,")
    path = write_csv(tmp_path / "buyers.csv", *lines)

    assert counts(import_buyers(factory, SLUG, path, batch_size=1200)) == (2600, 2600, 0, 0, 0)
    assert counts(import_buyers(factory, SLUG, path, batch_size=1200)) == (2600, 0, 0, 2600, 0)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 2600 - 260


def test_a_fixed_rejects_file_imports_as_it_is(session_factory, tmp_path):
    from bot.campaigns.definition import read_definition
    from bot.campaigns.loader import load_campaign
    from bot.importing.buyers import import_buyers
    from tests.factories import DEMO_CAMPAIGN

    with session_factory.begin() as s:
        load_campaign(s, read_definition(DEMO_CAMPAIGN))
    source = tmp_path / "buyers.csv"
    source.write_text("name,phone,serial\nAsha Rao,12345,AR26D004512\nRavi,+919812300003,AR26D004513\n")
    first = import_buyers(session_factory, "arctica-ff260-valve-2026", source)
    assert (first.imported, first.rejected) == (1, 1)
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(first.rejects_path.read_text().replace(",12345,", ",+919812300001,"))
    second = import_buyers(session_factory, "arctica-ff260-valve-2026", fixed)
    assert (second.imported, second.rejected) == (1, 0)


# --- the customer's language (issue 17) ------------------------------------------------


def languages(factory: sessionmaker[Session]) -> dict[str, tuple[str | None, str | None]]:
    """phone → (language, source)."""
    with factory() as session:
        rows = session.execute(select(Customer.phone, Customer.language, Customer.language_source))
        return {phone: (language, source.value if source else None) for phone, language, source in rows}


def test_language_column_canonical_and_a_language_not_shipped_is_a_warning(factory, tmp_path):
    path = write_csv(
        tmp_path / "buyers.csv",
        "name,phone,serial,language",
        "Asha Rao,+919812300001,AR26D004512,HI",
        "Vikram Nair,+919812300002,AR26D004513,hi_latn",
        "Meera Iyer,+919812300003,AR26D004514,ta",
        "Ravi Das,+919812300004,AR26D004515,",
        "Sunil Rao,+919812300005,AR26D004516, Hindi ",
        "Priya Sen,+919812300006,AR26D004517,English",
        "Nobody,not a phone,AR26D004518,xx-yy-zz",
        "Kabir Shah,+919812300008,AR26D004519,klingon!",
    )

    summary = import_buyers(factory, SLUG, path)

    assert counts(summary) == (8, 7, 0, 0, 1)  # the language never rejects a row
    assert summary.warned == 2
    assert summary.warnings == (
        (4, "language 'ta' is not one of the campaign's languages (en, hi, hi-Latn); imported without a language"),
        (9, "language 'klingon!' is not a language tag like en, hi or hi-Latn; imported without a language"),
    )
    assert languages(factory) == {
        "+919812300001": ("hi", "list"),
        "+919812300002": ("hi-Latn", "list"),
        "+919812300003": (None, None),
        "+919812300004": (None, None),
        "+919812300005": ("hi", "list"),
        "+919812300006": ("en", "list"),
        "+919812300008": (None, None),
    }
    # the rejected row (its phone) gets no warning about its language
    [(line, reason, *_)] = read_rows(summary.rejects_path)[1:]
    assert line == "8" and "language" not in reason
    assert counts(import_buyers(factory, SLUG, path)) == (8, 0, 0, 7, 1)  # a re-import changes nothing


def test_reimported_language_replaces_a_detected_one_never_a_chosen_one(factory, tmp_path):
    first = write_csv(
        tmp_path / "first.csv",
        "name,phone,serial",
        "Asha Rao,+919812300001,AR26D004512",
        "Vikram Nair,+919812300002,AR26D004513",
        "Meera Iyer,+919812300003,AR26D004514",
    )
    import_buyers(factory, SLUG, first)
    with factory.begin() as session:
        by_phone = {c.phone: c for c in session.scalars(select(Customer))}
        by_phone["+919812300001"].language, by_phone["+919812300001"].language_source = "hi-Latn", "written"
        by_phone["+919812300002"].language, by_phone["+919812300002"].language_source = "en", "chosen"
        by_phone["+919812300003"].language, by_phone["+919812300003"].language_source = "hi", "list"
    second = write_csv(
        tmp_path / "second.csv",
        "name,phone,serial,language",
        "Asha Rao,+919812300001,AR26D004512,hi",
        "Vikram Nair,+919812300002,AR26D004513,hi",
        "Meera Iyer,+919812300003,AR26D004514,",
    )

    summary = import_buyers(factory, SLUG, second)

    assert counts(summary) == (3, 0, 1, 2, 0)
    assert languages(factory) == {
        "+919812300001": ("hi", "list"),  # the list beats what was detected
        "+919812300002": ("en", "chosen"),  # a choice sticks
        "+919812300003": ("hi", "list"),  # an empty cell leaves it as it is
    }
    assert counts(import_buyers(factory, SLUG, first)) == (3, 0, 0, 3, 0)  # no column: left alone
    assert languages(factory)["+919812300001"] == ("hi", "list")


def test_cli_import_prints_the_language_warnings(factory, recall_customers, tmp_path):
    path = write_csv(tmp_path / "buyers.csv", "name,phone,serial,language", "Meera Iyer,+919812300003,AR26D004514,ta")

    result = recall_customers("import", str(path), "--campaign", SLUG, "--no-progress")

    assert result.exit_code == 0, result.output
    assert "imported 1, updated 0, unchanged 0, rejected 0 (of 1 rows)" in result.output
    assert "warning: line 2: language 'ta' is not one of the campaign's languages" in result.output
