"""`FILE.rejects.csv`: every rejected row with its line number and reason."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO


def rejects_path_for(csv_path: Path) -> Path:
    """'buyers.csv' → 'buyers.rejects.csv', next to it."""
    return csv_path.with_name(f"{csv_path.stem}.rejects.csv")


class RejectsFile:
    """Columns `line, reason`, then the file's own columns as read.

    The file is created on the first rejected row only; entering removes one left by
    an earlier run, and leaving on an error removes the partial one.
    """

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        self.count = 0
        self._header = list(header)
        self._file: IO[str] | None = None
        self._writerow: Callable[[Iterable[object]], object] | None = None

    def __enter__(self) -> RejectsFile:
        self.path.unlink(missing_ok=True)
        return self

    def add(self, line: int, reason: str, fields: Sequence[str]) -> None:
        if self._writerow is None:
            self._file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - opened at the first reject, closed in __exit__
            self._writerow = csv.writer(self._file).writerow
            self._writerow(["line", "reason", *self._header])
        self._writerow([line, reason, *fields])
        self.count += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._file is not None:
            self._file.close()
        if exc_type is not None:
            self.path.unlink(missing_ok=True)
