"""The one error that stops a whole import."""

from __future__ import annotations


class ImportFileError(Exception):
    """The file as a whole cannot be imported (no header, a missing or unknown column,
    not UTF-8, broken quoting); nothing is imported and the message says why."""
