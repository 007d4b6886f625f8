"""Importing the manufacturer's buyer list (`recall customers import FILE.csv`)."""

from bot.importing.buyers import ImportSummary, import_buyers
from bot.importing.errors import ImportFileError

__all__ = ["ImportFileError", "ImportSummary", "import_buyers"]
