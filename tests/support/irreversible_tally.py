"""The session's count of irreversible outcomes without a confirmation (tests/support/irreversible.py
says what counts), kept per test process and summed over pytest-xdist's workers: each worker
sends its tally to the controller when it finishes, and the controller prints the total."""

from __future__ import annotations

from typing import Any

UNCONFIRMED: list[str] = []  # "<test id>: <outcome>", irreversible outcomes without a confirmation
WATCHED: list[str] = []  # the conversation tests checked

KEY = "irreversible_tally"


def record(test_id: str, found: list[Any]) -> None:
    WATCHED.append(test_id)
    UNCONFIRMED.extend(f"{test_id}: {outcome}" for outcome in found)


def worker_output() -> dict[str, list[str]]:
    return {"watched": list(WATCHED), "unconfirmed": list(UNCONFIRMED)}


def add_worker_output(output: dict[str, Any]) -> None:
    tally = output.get(KEY) or {}
    WATCHED.extend(tally.get("watched", []))
    UNCONFIRMED.extend(tally.get("unconfirmed", []))


def summary_lines() -> list[str]:
    if not WATCHED:
        return []
    head = f"irreversible outcomes without confirmation: {len(UNCONFIRMED)} over {len(WATCHED)} conversation tests"
    return [head, *(f"  {line}" for line in UNCONFIRMED)]
