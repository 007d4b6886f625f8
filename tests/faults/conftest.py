"""Fault tests (issue 8): each proves that no acknowledged message is lost or doubled
under one fault, and records its figures (sent, acknowledged, stored, answered, lost,
doubled, reordered). `make test-faults` runs them; with RECALL_FAULTS_JSON=path the
figures of the run are also written there as JSON (benchmarks/README.md, "Faults")."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import Stack, running_stack
from tests.support.demo import seed_demo

_FIGURES: dict[str, dict] = {}
_STARTED = time.time()


@pytest.fixture(scope="session")
def record_figures():
    """`record_figures(name, figures)`: kept for the JSON summary, and printed."""

    def record(name: str, figures: dict) -> None:
        figures = {**figures, "recorded_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        _FIGURES[name] = figures
        print(f"\n[faults] {name}: {json.dumps(figures)}")

    return record


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("RECALL_FAULTS_JSON")
    if not target or not _FIGURES:
        return
    path = Path(target)
    previous = json.loads(path.read_text()) if path.exists() else {}
    previous.setdefault("faults", {}).update(_FIGURES)
    previous.update(
        {
            "run_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(_STARTED)),
            "seconds": round(time.time() - _STARTED, 1),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")


@pytest.fixture(scope="module")
def stack(rasa_model) -> Iterator[Stack]:
    """The whole stack (app, worker, Rasa, action server, PostgreSQL, simulator) on a new
    database holding the demo recall."""
    with running_stack(rasa_model, seed_demo) as running:
        yield running
