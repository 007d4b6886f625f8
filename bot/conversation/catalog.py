"""The message catalogs: every customer-facing text, per language, from gettext `.po`
files (bot/conversation/locales/<lang>/LC_MESSAGES/messages.po) that translators edit
with the tools they know (Poedit, Weblate, `pybabel`). English is the source language:
the message id is the English text, so English needs no catalog.

A text is `t("Hello {name}", name=...)` (named placeholders, `str.format` syntax:
python-brace-format) or `nt("one unit", "{n} units", n)` (plural forms of the catalog's
language). The language is the active one: `use_language(code)` for the request being
served (a context variable, so concurrent requests of an action server or the gateway
do not see each other's), or `speaking(code)` for a block.

`make messages` extracts the ids into messages.pot and updates every catalog;
tests/unit/test_catalogs.py checks that every message is translated in every shipped
language with the same placeholders. docs/languages.md says how to add a language.
"""

from __future__ import annotations

import contextvars
import gettext
import io
import logging
import string
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.domain.languages import SOURCE_LANGUAGE, canonical_language

log = logging.getLogger(__name__)

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"

_active: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=SOURCE_LANGUAGE)


def catalog_path(language: str) -> Path:
    """Where the catalog of a language lives (`hi-Latn` → locales/hi_Latn/...)."""
    return LOCALES / language.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of a language (English, or a language without a catalog:
    the source texts themselves)."""
    path = catalog_path(language)
    if language == SOURCE_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language.replace("-", "_"))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def use_language(language: str | None) -> None:
    """Make `language` the active one for the rest of this request (None: the source)."""
    _active.set(canonical_language(language) or SOURCE_LANGUAGE)


def current_language() -> str:
    return _active.get()


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Texts in `language` inside the block, then the language before."""
    token = _active.set(canonical_language(language) or SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _active.reset(token)


def _format(translated: str, source: str, values: dict[str, object]) -> str:
    try:
        return translated.format_map(values)
    except (KeyError, IndexError, ValueError):
        # A translation with a broken placeholder (the catalog test catches these): the
        # customer still gets the message, in the source language.
        log.error("message %r in %s has a bad placeholder", source, current_language())
        return source.format_map(values)


def t(message: str, **values: object) -> str:
    """`message` (the English source text) in the active language, placeholders filled."""
    return _format(translations(current_language()).gettext(message), message, values)


def nt(singular: str, plural: str, n: int, **values: object) -> str:
    """The plural form for `n` in the active language; `{n}` is available to the text."""
    translated = translations(current_language()).ngettext(singular, plural, n)
    return _format(translated, singular if n == 1 else plural, {"n": n, **values})


def has_catalog(language: str) -> bool:
    """Whether the bot's own texts exist in `language` (the source language always does)."""
    tag = canonical_language(language) or ""
    return tag == SOURCE_LANGUAGE or catalog_path(tag).exists()


def placeholders(text: str) -> set[str]:
    """The named placeholders of a text ("Hello {name}" → {"name"})."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}
