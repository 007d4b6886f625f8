"""The message catalogs (bot/conversation/catalog.py): messages.pot is what the code says,
every shipped language translates every message with the same placeholders and all its
plural forms, and the catalog machinery itself (fallback, plural choice, a broken
translation).

`make messages` re-extracts messages.pot and updates the .po files; a translator fills in
the empty msgstr (docs/languages.md)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.conversation import catalog, texts
from bot.conversation.catalog import catalog_path, nt, placeholders, speaking, t
from bot.domain.calendar import format_slot
from bot.domain.languages import SHIPPED, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parents[2]
POT = catalog.LOCALES / "messages.pot"
KEYWORDS = {"t": None, "nt": (1, 2)}  # as `make messages` extracts them
TRANSLATED = [language for language in SHIPPED if language != SOURCE_LANGUAGE]


def _key(message_id: str | tuple[str, ...]) -> str | tuple[str, str]:
    return message_id if isinstance(message_id, str) else (message_id[0], message_id[1])


def _in_code() -> set[str | tuple[str, str]]:
    found = set()
    for folder in ("bot", "actions"):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            found.add(_key(message))
    return found


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def _template() -> list[str | tuple[str, str]]:
    return [_key(message.id) for message in _read(POT) if message.id]


# ---------------------------------------------------------------------- (a) the .pot is current


def test_every_text_of_the_code_is_in_messages_pot():
    missing = _in_code() - set(_template())
    assert not missing, f"run `make messages`: not in messages.pot: {sorted(map(str, missing))}"


def test_messages_pot_has_no_text_the_code_no_longer_says():
    stale = set(_template()) - _in_code()
    assert not stale, f"run `make messages`: in messages.pot but not in the code: {sorted(map(str, stale))}"


def test_every_message_uses_named_placeholders_only():
    for message_id in _template():
        for text in (message_id,) if isinstance(message_id, str) else message_id:
            assert "{}" not in text, f"{text!r}: a positional placeholder"
            for field in placeholders(text):
                assert field.isidentifier(), f"{text!r}: placeholder {{{field}}} is not a plain name"


# ---------------------------------------------------------------------- (b) every language translates every message


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(language):
    path = catalog_path(language)
    assert path.exists(), f"no catalog for {language}: run `make messages`"
    po = _read(path, language.replace("-", "_"))
    problems = []
    for message_id in _template():
        message = po.get(message_id if isinstance(message_id, str) else message_id[0])
        shown = message_id if isinstance(message_id, str) else message_id[1]
        if message is None:
            problems.append(f"missing: {shown!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {shown!r}")
        if isinstance(message_id, str):
            if not message.string:
                problems.append(f"not translated: {shown!r}")
            elif placeholders(message.string) != placeholders(message_id):
                problems.append(f"placeholders {sorted(placeholders(message.string))} in {message.string!r}")
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if len(forms) != po.num_plurals or not all(forms):
            problems.append(f"not every plural form ({po.num_plurals}) translated: {shown!r}")
            continue
        expected = placeholders(message_id[1]) | placeholders(message_id[0])
        for form in forms:
            # A form may leave the count out ("एक यूनिट"); it has every other placeholder and no new one.
            if placeholders(form) - {"n"} != expected - {"n"} or not placeholders(form) <= expected | {"n"}:
                problems.append(f"placeholders {sorted(placeholders(form))} in {form!r}")
    assert not problems, f"{language} ({path.relative_to(ROOT)}), {len(problems)} problems:\n" + "\n".join(
        problems[:40]
    )


# ---------------------------------------------------------------------- (c) each language loads and renders


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_renders_in_each_language(language):
    catalog.translations.cache_clear()
    catalog.translations(language)  # the catalog compiles
    with speaking(language):
        for message_id in _template():
            if isinstance(message_id, str):
                text = t(message_id, **{field: "X" for field in placeholders(message_id)})
            else:
                fields = (placeholders(message_id[0]) | placeholders(message_id[1])) - {"n"}
                values = {field: "X" for field in fields}
                text = nt(message_id[0], message_id[1], 1, **values) + nt(message_id[0], message_id[1], 3, **values)
            assert text.strip() and "{" not in text.replace("{X", ""), (language, message_id)


@pytest.mark.parametrize("language", SHIPPED)
def test_texts_render_in_each_language(language):
    from bot.campaigns.definition import read_definition
    from tests.factories import DEMO_CAMPAIGN

    d = read_definition(DEMO_CAMPAIGN)
    with speaking(language):
        for text in (
            texts.intro(d, "Asha", notified=True),
            texts.serial_malformed(d, "AB12"),
            texts.repair_booked(d, "RB-1", "Tue 1 Dec, 09:00–13:00", "Flat 4B"),
            texts.escalated(
                d,
                "complain",
                texts.reply_expectation(
                    dt.datetime(2026, 12, 5, 14, tzinfo=dt.UTC), "Asia/Kolkata", d.support_hours.hours()
                ),
            ),
            texts.serials_checked(d, ["AR1", "AR2"], ["AR3"]),
            texts.ask_remedy_for_unit(d, 2, "AR2"),
        ):
            assert text and "{" not in text


# ---------------------------------------------------------------------- English stays as it was


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.datetime(2026, 12, 1, 3, 30, tzinfo=dt.UTC), dt.datetime(2026, 12, 1, 7, 30, tzinfo=dt.UTC)),
        (dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.UTC), dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC)),
    ],
)
def test_slot_labels_in_english_are_as_before(start, end):
    kolkata = zoneinfo.ZoneInfo("Asia/Kolkata")
    with speaking("en"):
        assert texts.slot_label(start, end, kolkata) == format_slot(start, end, kolkata)
    with speaking("hi"):
        assert texts.slot_label(start, end, kolkata).startswith("मंगल 1 दिस")
    with speaking("hi-Latn"):
        assert texts.slot_label(start, end, kolkata).startswith("Mangal 1 Dec")


# ---------------------------------------------------------------------- the catalog machinery


@pytest.fixture
def test_catalog(tmp_path, monkeypatch):
    """A Hindi catalog of three messages in place of the real ones."""
    po = tmp_path / "hi" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Hello {name}"\nmsgstr "नमस्ते {name}"\n\n'
        'msgid "{n} unit"\nmsgid_plural "{n} units"\nmsgstr[0] "{n} यूनिट (एक)"\nmsgstr[1] "{n} यूनिट"\n\n'
        'msgid "Your serial is {serial}"\nmsgstr "आपका सीरियल {serail} है"\n\n'
        '#, fuzzy\nmsgid "Thank you"\nmsgstr "धन्यवाद"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(catalog, "LOCALES", tmp_path)
    catalog.translations.cache_clear()
    yield
    catalog.translations.cache_clear()


def test_a_translated_message(test_catalog):
    with speaking("hi"):
        assert t("Hello {name}", name="Asha") == "नमस्ते Asha"
    assert t("Hello {name}", name="Asha") == "Hello Asha"  # back to the language before


def test_a_missing_message_falls_back_to_english(test_catalog):
    with speaking("hi"):
        assert t("Goodbye {name}", name="Asha") == "Goodbye Asha"
        assert t("Thank you") == "Thank you"  # a fuzzy translation is not used


def test_a_language_without_a_catalog_speaks_english(test_catalog):
    with speaking("hi-Latn"):
        assert t("Hello {name}", name="Asha") == "Hello Asha"


def test_the_plural_form_of_the_language(test_catalog):
    assert [nt("{n} unit", "{n} units", n) for n in (0, 1, 2)] == ["0 units", "1 unit", "2 units"]
    with speaking("hi"):  # Hindi: 0 and 1 take the first form
        assert [nt("{n} unit", "{n} units", n) for n in (0, 1, 2)] == ["0 यूनिट (एक)", "1 यूनिट (एक)", "2 यूनिट"]


def test_a_broken_placeholder_in_a_translation_falls_back_to_english(test_catalog, caplog):
    with speaking("hi"):
        assert t("Your serial is {serial}", serial="AR1") == "Your serial is AR1"
    assert "bad placeholder" in caplog.text


def test_use_language_and_canonical_codes(test_catalog):
    with speaking("HI"):
        assert catalog.current_language() == "hi"
        assert t("Hello {name}", name="A") == "नमस्ते A"
    with speaking(None):
        assert catalog.current_language() == SOURCE_LANGUAGE


def test_catalog_paths():
    assert catalog_path("hi-Latn").parts[-3:] == ("hi_Latn", "LC_MESSAGES", "messages.po")
    assert placeholders("Hello {name}, {n} units, {{literal}}") == {"name", "n"}
