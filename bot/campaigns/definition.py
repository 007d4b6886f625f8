"""The campaign YAML schema. Unknown keys are errors; every error names its key."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.campaigns.hint_image import HintImage, check_reference, is_url, read_hint_image
from bot.domain.languages import SOURCE_LANGUAGE, canonical_language
from bot.domain.serials import SerialRange, matches_format, normalise_serial
from bot.domain.support_hours import SupportHours

_HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_WEBSITE = re.compile(r"^https?://[^\s/.]+(\.[^\s/.]+)+(/\S*)?$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,22}[0-9]$")


class CampaignDefinitionError(ValueError):
    """A campaign file that cannot be loaded; `problems` lists (key, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {key}: {message}" for key, message in problems)
        super().__init__(f"{source}: invalid campaign definition\n{lines}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


NonEmpty = Annotated[str, Field(min_length=1)]


def _check_order(first: dt.time, then: dt.time, problem: str) -> None:
    """Two times of one day, the first earlier."""
    if first >= then:
        raise ValueError(problem)


def _hhmm_text(value: object) -> object:
    """Only HH:MM text (or a time) becomes a `ClockTime`: YAML reads an unquoted 21:00 as 1260."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and _HHMM.match(value.strip()):
        return value.strip()
    raise ValueError(f"{value!r} is not a time as HH:MM (24-hour)")


# A wall-clock time of day written HH:MM; pydantic parses it, the stored JSON keeps HH:MM.
ClockTime = Annotated[
    dt.time, BeforeValidator(_hhmm_text), PlainSerializer(lambda t: t.strftime("%H:%M"), when_used="json")
]


class AffectedRangeDef(_Strict):
    model: NonEmpty
    serial_from: NonEmpty = Field(alias="from")
    serial_to: NonEmpty = Field(alias="to")

    @field_validator("serial_from", "serial_to")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_serial(value)

    @model_validator(mode="after")
    def _ordered(self) -> AffectedRangeDef:
        if len(self.serial_from) != len(self.serial_to):
            raise ValueError("'from' and 'to' must have the same length")
        if self.serial_from > self.serial_to:
            raise ValueError(f"'from' ({self.serial_from}) comes after 'to' ({self.serial_to})")
        return self


class AffectedDef(_Strict):
    serial_format: NonEmpty
    ranges: list[AffectedRangeDef] = Field(min_length=1)
    # True when the unit registry lists every unit sold: a serial not in it is unknown.
    registry_complete: bool = False

    @field_validator("serial_format")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _ranges_match_format(self) -> AffectedDef:
        for i, r in enumerate(self.ranges):
            for end in (r.serial_from, r.serial_to):
                if not matches_format(end, self.serial_format):
                    raise ValueError(f"ranges[{i}]: {end} does not match serial_format")
        return self

    def serial_ranges(self) -> list[SerialRange]:
        return [SerialRange(r.model, r.serial_from, r.serial_to) for r in self.ranges]


class RemedyDef(_Strict):
    label: NonEmpty
    duration_minutes: int | None = Field(default=None, gt=0, le=24 * 60)


class RemediesDef(_Strict):
    repair: RemedyDef | None = None
    replacement: RemedyDef | None = None
    refund: RemedyDef | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> RemediesDef:
        if not (self.repair or self.replacement or self.refund):
            raise ValueError("offer at least one of repair, replacement, refund")
        return self

    def offered(self) -> list[str]:
        return [k for k in ("repair", "replacement", "refund") if getattr(self, k)]


class SlotDef(_Strict):
    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _ordered(self) -> SlotDef:
        _check_order(self.start, self.end, f"slot ends ({self.end:%H:%M}) before it starts ({self.start:%H:%M})")
        return self

    def times(self) -> tuple[dt.time, dt.time]:
        return self.start, self.end


class RegionDef(_Strict):
    postcode_prefix: str = ""
    technicians: int = Field(ge=0)


def _check_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {value!r} (use an IANA name like Asia/Kolkata)") from exc
    return value


class ServiceDef(_Strict):
    timezone: str
    days_ahead: int = Field(default=14, ge=1, le=365)
    slots: list[SlotDef] = Field(min_length=1)
    regions: list[RegionDef] = Field(min_length=1)
    # Weekdays technicians work, 0 = Monday; default Monday to Saturday.
    working_days: list[Annotated[int, Field(ge=0, le=6)]] = Field(default_factory=lambda: [0, 1, 2, 3, 4, 5])

    _tz = field_validator("timezone")(classmethod(lambda cls, v: _check_timezone(v)))

    @model_validator(mode="after")
    def _unique_prefixes(self) -> ServiceDef:
        seen: set[str] = set()
        for region in self.regions:
            if region.postcode_prefix in seen:
                raise ValueError(f"postcode_prefix {region.postcode_prefix!r} is listed twice")
            seen.add(region.postcode_prefix)
        return self


class QuietHoursDef(_Strict):
    start: ClockTime = dt.time(21, 0)
    end: ClockTime = dt.time(8, 0)


class SupportHoursDef(_Strict):
    """When the support team answers handed-over conversations (campaign timezone)."""

    days: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4, 5], min_length=1
    )  # 0 = Monday, as working_days
    opens: ClockTime = dt.time(9, 0)
    closes: ClockTime = dt.time(18, 0)

    @model_validator(mode="after")
    def _ordered(self) -> SupportHoursDef:
        _check_order(self.opens, self.closes, f"closes ({self.closes:%H:%M}) before it opens ({self.opens:%H:%M})")
        return self

    def hours(self) -> SupportHours:
        return SupportHours(frozenset(self.days), self.opens, self.closes)


class OutreachDef(_Strict):
    quiet_hours: QuietHoursDef = Field(default_factory=QuietHoursDef)
    # What is wrong, in a few words, for the notice (the full `hazard` makes it too long
    # for two SMS segments); default: `hazard`.
    hazard_summary: str | None = Field(default=None, min_length=1, max_length=200)
    reminder_after_days: int = Field(default=3, ge=1)
    max_reminders: int = Field(default=2, ge=0, le=10)
    whatsapp_template_sid: str | None = Field(default=None, pattern=r"^HX[0-9a-fA-F]{32}$")
    whatsapp_reminder_template_sid: str | None = Field(default=None, pattern=r"^HX[0-9a-fA-F]{32}$")


class ContactDef(_Strict):
    """The brand's official contact, for a customer who wants to check the message is real."""

    website: str | None = Field(default=None, max_length=200)
    phone: str | None = None

    @field_validator("website")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not _WEBSITE.match(value):
            raise ValueError(f"{value!r} is not a web address like https://www.example.com")
        return value

    @field_validator("phone")
    @classmethod
    def _phone_number(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.match(value):
            raise ValueError(f"{value!r} is not a phone number like +91 1800 123 4567")
        return value


class VisitDef(_Strict):
    """What happens at a repair visit (its length is `remedies.repair.duration_minutes`)."""

    what_happens: str | None = Field(default=None, min_length=1, max_length=400)
    someone_home: bool | None = None  # must an adult be at home during the visit?


class DiscountDef(_Strict):
    """A discount on a new product for the recall's customers (issued by a person)."""

    percent: int = Field(ge=1, le=100)
    text: str = Field(min_length=1, max_length=300)  # how to get it, said as it is


class SpoiledFoodDef(_Strict):
    """A claim for food spoiled by the fault, up to `max_amount` (campaign currency),
    reviewed by a person; `receipt_required`: a photo of the receipt is asked for."""

    max_amount: int = Field(gt=0, le=10_000_000)
    receipt_required: bool = True


class GoodwillDef(_Strict):
    """Compensation beyond the remedy; a recall without it offers none (a person may look)."""

    discount: DiscountDef | None = None
    spoiled_food: SpoiledFoodDef | None = None

    @property
    def offered(self) -> bool:
        return self.discount is not None or self.spoiled_food is not None


# The campaign's own texts, translated: `translations.<language>` holds the same keys as
# the top level, for every text the campaign sets (docs/languages.md). A language listed in
# `languages` without one of them is an error that names it.
class RemedyLabelTranslation(_Strict):
    label: NonEmpty


class RemediesTranslation(_Strict):
    repair: RemedyLabelTranslation | None = None
    replacement: RemedyLabelTranslation | None = None
    refund: RemedyLabelTranslation | None = None


class OutreachTranslation(_Strict):
    hazard_summary: str | None = Field(default=None, min_length=1, max_length=200)
    # The approved WhatsApp templates of this language (Content SIDs).
    whatsapp_template_sid: str | None = Field(default=None, pattern=r"^HX[0-9a-fA-F]{32}$")
    whatsapp_reminder_template_sid: str | None = Field(default=None, pattern=r"^HX[0-9a-fA-F]{32}$")


class VisitTranslation(_Strict):
    what_happens: str | None = Field(default=None, min_length=1, max_length=400)


class DiscountTranslation(_Strict):
    text: str = Field(min_length=1, max_length=300)


class GoodwillTranslation(_Strict):
    discount: DiscountTranslation | None = None


class TranslationDef(_Strict):
    sender_name: str | None = Field(default=None, min_length=1)
    brand: str | None = Field(default=None, min_length=1)  # only when the brand is written differently
    product: str | None = Field(default=None, min_length=1)
    hazard: str | None = Field(default=None, min_length=1)
    safety_advice: str | None = Field(default=None, min_length=1)
    serial_hint: str | None = Field(default=None, min_length=1)
    help_text: str | None = Field(default=None, min_length=1)
    data_source: str | None = Field(default=None, min_length=1, max_length=300)
    privacy: str | None = Field(default=None, min_length=1, max_length=400)
    warranty: str | None = Field(default=None, min_length=1, max_length=400)
    disposed_units: str | None = Field(default=None, min_length=1, max_length=400)
    remedies: RemediesTranslation = Field(default_factory=RemediesTranslation)
    outreach: OutreachTranslation = Field(default_factory=OutreachTranslation)
    visit: VisitTranslation = Field(default_factory=VisitTranslation)
    goodwill: GoodwillTranslation = Field(default_factory=GoodwillTranslation)


# The texts a translation must give when the campaign gives them (dotted keys); the rest
# (brand, template SIDs) fall back to the top level.
_TRANSLATED_TEXTS = (
    "sender_name",
    "product",
    "hazard",
    "safety_advice",
    "serial_hint",
    "help_text",
    "data_source",
    "privacy",
    "warranty",
    "disposed_units",
    "remedies.repair.label",
    "remedies.replacement.label",
    "remedies.refund.label",
    "outreach.hazard_summary",
    "visit.what_happens",
    "goodwill.discount.text",
)


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        elif not isinstance(value, dict):
            merged[key] = value
    return merged


def _language_tag(value: str) -> str:
    tag = canonical_language(value)
    if tag is None:
        raise ValueError(f"{value!r} is not a language tag like en, hi or hi-Latn")
    return tag


LanguageTag = Annotated[str, BeforeValidator(lambda v: _language_tag(str(v)))]


class CampaignDefinition(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
    brand: NonEmpty
    sender_name: NonEmpty
    product: NonEmpty
    hazard: NonEmpty
    safety_advice: NonEmpty
    affected: AffectedDef
    remedies: RemediesDef
    extended_warranty_months: int = Field(default=0, ge=0, le=120)
    service: ServiceDef
    outreach: OutreachDef = Field(default_factory=OutreachDef)
    # Optional texts the conversation and notices use.
    serial_hint: str = "The serial number is on the label inside the door or on the back."
    # A picture of where the label is, sent with the serial question on WhatsApp: an https
    # URL, or a PNG/JPEG file relative to this YAML file (bot/campaigns/hint_image.py).
    serial_hint_image: str | None = Field(default=None, min_length=1, max_length=500)
    help_text: str | None = None
    support_hours: SupportHoursDef = Field(default_factory=SupportHoursDef)
    currency: str = Field(default="INR", pattern=r"^[A-Z]{3}$")
    country: str = Field(default="IN", pattern=r"^[A-Z]{2}$")
    # Optional answers to customers' questions (actions/questions.py); a missing one offers a person.
    contact: ContactDef = Field(default_factory=ContactDef)
    data_source: str | None = Field(default=None, min_length=1, max_length=300)  # how we got their number
    privacy: str | None = Field(default=None, min_length=1, max_length=400)  # what happens to their data
    refund_days: int | None = Field(default=None, ge=1, le=365)  # working days for a refund to arrive
    replacement_days: int | None = Field(default=None, ge=1, le=365)  # working days to deliver a replacement
    warranty: str | None = Field(default=None, min_length=1, max_length=400)  # the warranty terms
    visit: VisitDef = Field(default_factory=VisitDef)
    goodwill: GoodwillDef = Field(default_factory=GoodwillDef)  # compensation offered (actions/goodwill.py)
    # What the recall offers when the customer sold, gave or threw the unit away, said as it
    # is (actions/situations.py); none: the bot asks them to pass the notice on.
    disposed_units: str | None = Field(default=None, min_length=1, max_length=400)
    # The languages customers are written to in; the first is the default (a customer
    # whose language is not known, or not one of these). The top-level texts are in the
    # first; `translations` gives the others (docs/languages.md).
    languages: list[LanguageTag] = Field(default_factory=lambda: [SOURCE_LANGUAGE], min_length=1)
    translations: dict[LanguageTag, TranslationDef] = Field(default_factory=dict)
    _localized: dict[str, CampaignDefinition] = PrivateAttr(default_factory=dict)  # localized(), once each
    _serial_hint_file: HintImage | None = PrivateAttr(default=None)  # read_definition(): the image's bytes

    _hint_image = field_validator("serial_hint_image")(
        classmethod(lambda cls, v: v if v is None else check_reference(v))
    )

    @property
    def serial_hint_file(self) -> HintImage | None:
        """The bytes of `serial_hint_image` when it names a file and the YAML was read
        from its file (`read_definition`); None otherwise."""
        return self._serial_hint_file

    @property
    def names_hint_file(self) -> bool:
        return self.serial_hint_image is not None and not is_url(self.serial_hint_image)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def language_for(self, language: str | None) -> str:
        """The language to write to a customer in: theirs when the campaign ships it, else
        the campaign's default."""
        return language if language in self.languages else self.default_language

    def localized(self, language: str | None) -> CampaignDefinition:
        """This definition with its texts in `language` (the default's for another one)."""
        language = self.language_for(language)
        if language == self.default_language:
            return self
        if language not in self._localized:
            data = _merged(self.to_json(), self.translations[language].model_dump(mode="json"))
            self._localized[language] = CampaignDefinition.model_validate(
                {**data, "languages": [language], "translations": {}}
            )
        return self._localized[language]

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def _key(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        if part == "[key]":  # pydantic's mark for the key (not the value) of a mapping
            continue
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(top level)"


def _known_keys() -> set[str]:
    keys: set[str] = set()
    for model in (
        CampaignDefinition,
        AffectedDef,
        AffectedRangeDef,
        RemediesDef,
        RemedyDef,
        ServiceDef,
        SlotDef,
        RegionDef,
        OutreachDef,
        QuietHoursDef,
        SupportHoursDef,
        ContactDef,
        VisitDef,
        GoodwillDef,
        DiscountDef,
        SpoiledFoodDef,
        TranslationDef,
        RemediesTranslation,
        RemedyLabelTranslation,
        OutreachTranslation,
        VisitTranslation,
        GoodwillTranslation,
        DiscountTranslation,
    ):
        for name, field in model.model_fields.items():
            keys.add(field.alias or name)
    return keys


def _message(error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        typed = str(error["loc"][-1])
        guess = difflib.get_close_matches(typed, _known_keys(), n=1)
        return f"unknown key (did you mean {guess[0]!r}?)" if guess else "unknown key"
    if error["type"] == "missing":
        return "required key is missing"
    return str(error["msg"]).removeprefix("Value error, ")


def translation_problems(definition: CampaignDefinition) -> list[tuple[str, str]]:
    """(key, message) for each language without one of the campaign's texts, and each
    translation of a language the campaign does not list."""
    languages = definition.languages
    problems = []
    if len(set(languages)) != len(languages):
        problems.append(("languages", "a language is listed twice"))
    for language in definition.translations:
        if language not in languages:
            problems.append((f"translations.{language}", f"{language} is not one of languages {languages}"))
        elif language == languages[0]:
            problems.append((f"translations.{language}", f"the top-level texts are already in {language}"))
    base = definition.model_dump(mode="json", by_alias=True, exclude={"translations"})
    for language in languages[1:]:
        given = definition.translations[language].model_dump(mode="json") if language in definition.translations else {}
        for key in _TRANSLATED_TEXTS:
            if _lookup(base, key) is not None and _lookup(given, key) is None:
                problems.append((f"translations.{language}.{key}", "missing translation"))
    return problems


def parse_definition(data: Any, source: str = "campaign") -> CampaignDefinition:
    if not isinstance(data, dict):
        raise CampaignDefinitionError(source, [("(top level)", "expected a mapping of keys")])
    try:
        definition = CampaignDefinition.model_validate(data)
    except ValidationError as exc:
        problems = [(_key(err["loc"]), _message(err)) for err in exc.errors()]
        raise CampaignDefinitionError(source, problems) from None
    problems = translation_problems(definition)
    if problems:
        raise CampaignDefinitionError(source, problems)
    return definition


def read_definition(path: str | Path) -> CampaignDefinition:
    """Read and validate a campaign YAML file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CampaignDefinitionError(str(path), [("(file)", "no such file")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise CampaignDefinitionError(str(path), [(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    definition = parse_definition(data, str(path))
    if definition.names_hint_file:
        assert definition.serial_hint_image is not None
        try:
            definition._serial_hint_file = read_hint_image(path, definition.serial_hint_image)
        except ValueError as exc:
            raise CampaignDefinitionError(str(path), [("serial_hint_image", str(exc))]) from None
    return definition
