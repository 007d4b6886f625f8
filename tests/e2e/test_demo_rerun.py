"""`recall demo` (what `make demo` runs) twice in a row on one database: the second run
tells the whole story again, every bot reply the first printed (issue 16)."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from bot.cli.context import AppContext
from bot.cli.main import cli
from bot.db import make_engine
from bot.migrate import upgrade
from bot.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.rasa

TURN = re.compile(r"^(  customer > |  bot      > | {13})")  # a reply's further lines: 13 spaces
VARYING = [
    (re.compile(r"\b[A-Z]{2}-[A-Z0-9]{6}\b"), "XX-REFERENCE"),  # RP-EFHRK9: a random reference each run
    (re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}\b"), "DAY"),  # a run either side of midnight
    # a run either side of the booking lead time shifts the first free window (09:00 → 14:00)
    (re.compile(r"\b\d{2}:\d{2}–\d{2}:\d{2}\b"), "WINDOW"),
    (re.compile(r"http://127\.0\.0\.1:\d+"), "http://127.0.0.1:PORT"),  # the app's port: 8000 unless taken
]


def conversation(output: str) -> list[str]:
    """The customers' and the bot's lines, references and days normalised."""
    lines = []
    for line in output.splitlines():
        if TURN.match(line):
            for pattern, replacement in VARYING:
                line = pattern.sub(replacement, line)
            lines.append(line.rstrip())
    return lines


# The demo runs on its default SQLite file; the reset itself is checked on both engines in
# tests/test_demo_reset.py, so this slow whole-demo test runs once.
@pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True)
def test_a_second_demo_run_prints_every_bot_reply_of_the_first(e2e_database, rasa_model, tmp_path, monkeypatch):
    engine = make_engine(e2e_database)
    upgrade(engine)
    engine.dispose()
    demo_dir = tmp_path / "demo"  # the rejects file is written beside the buyers
    shutil.copytree(PROJECT_ROOT / "demo", demo_dir, ignore=shutil.ignore_patterns("*.rejects.csv"))
    monkeypatch.setattr("bot.cli.demo.DEMO_DIR", demo_dir)
    monkeypatch.setattr("bot.cli.demo.PROJECT_ROOT", tmp_path)
    runs = []
    for _ in range(2):
        result = CliRunner().invoke(cli, ["demo"], obj=AppContext(settings=Settings(database_url=e2e_database)))
        assert result.exit_code == 0, result.output
        runs.append(result.output)
    first, second = runs
    assert "nothing to reset (its first run in this database)" in first
    # 42 buyers (Sunita, Rohit and Geeta: the Hindi and Hinglish buyers of issue 17) with 43 units,
    # and Kavita, whom no list knows, with her photo of the label (issue 18)
    assert "Reset the demo recall's own data from earlier runs (removed: customers 43," in second
    assert "Buyers from demo/buyers.csv: imported 43, updated 0, unchanged 0" in second
    replies = [line for line in conversation(first) if line.startswith("  bot      >")]
    assert len(replies) >= 10, first  # the booking, the feedback and the request for a person
    assert conversation(second) == conversation(first)
    assert "Booked. Your reference is XX-REFERENCE" in "\n".join(conversation(second))
    # "shortly" in support hours, else the next opening ("from 09:00 tomorrow"): the run's time
    assert re.search(r"A person from our team will reply here (shortly|from \d{2}:\d{2}|on \w+ from)", second)
