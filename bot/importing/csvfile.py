"""Reading a CSV file one record at a time, with the line each record starts on.

The file is decoded as UTF-8 (a byte-order mark is allowed) while it is read, so
memory does not depend on its size; `position` is the number of bytes read so far,
for a progress bar.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bot.importing.errors import ImportFileError


@dataclass(frozen=True, slots=True)
class Record:
    """The fields of one record and the physical line (1 = first) where it starts."""

    line: int
    fields: list[str]


def is_blank(fields: list[str]) -> bool:
    """An empty line, or one with only separators and spaces (spreadsheets write those)."""
    return not any(field.strip() for field in fields)


class CsvSource:
    """`with CsvSource(path) as source:` → `source.header`, then `source.records()`.

    Blank lines are skipped. Whole-file problems (cannot open, not UTF-8, a quote
    never closed, no header) raise ImportFileError.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.header: list[str] = []
        self._line = 0

    def __enter__(self) -> CsvSource:
        try:
            self._raw = open(self.path, "rb")
        except OSError as exc:
            raise ImportFileError(f"cannot read {self.path}: {exc.strerror}") from None
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._text, strict=True)
        try:
            header = next(self._records(), None)
            if header is None:
                raise ImportFileError(f"{self.path} is empty: the first line must be the header row")
        except BaseException:
            self.close()
            raise
        self.header = header.fields
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._text.close()

    @property
    def position(self) -> int:
        """Bytes of the file read so far."""
        return self._raw.tell()

    def records(self) -> Iterator[Record]:
        """The records after the header."""
        return self._records()

    def _records(self) -> Iterator[Record]:
        while True:
            start = self._line + 1
            try:
                fields = next(self._reader, None)
            except UnicodeDecodeError:
                raise ImportFileError(_not_utf8(self.path)) from None
            except csv.Error as exc:
                raise ImportFileError(f"{self.path}, line {start}: broken CSV quoting ({exc})") from None
            if fields is None:
                return
            self._line = self._reader.line_num
            if not is_blank(fields):
                yield Record(start, fields)


def _not_utf8(path: Path) -> str:
    """Names the first line holding a byte that is not UTF-8 (a newline byte never
    occurs inside a UTF-8 character, so lines can be checked one by one)."""
    with open(path, "rb") as raw:
        for number, line in enumerate(raw, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return (
                    f"{path} is not UTF-8 text: line {number} has the byte 0x{line[exc.start]:02x}. "
                    "Save it as 'CSV UTF-8' (Excel: Save As → CSV UTF-8) and import it again"
                )
    return f"{path} is not UTF-8 text"
