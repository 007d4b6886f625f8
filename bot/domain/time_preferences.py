"""When the customer would like the visit: a preference read from their own words, and the
free slots that fit it best.

`parse_time_preference` reads English (and a little Hinglish) relative to `today`, the
customer's local date: days of the week ("sunday?", "sat afternoon", "ravivaar"), dates
("after the 20th", "after 20th dec", "i am travelling till 20th", "before the 5th",
"tomorrow", "kal"), weeks and months ("next week", "not this week", "agle hafte", "next
month"), the part of the day ("evening only", "subah", "anything after 6pm") and a refusal
of what was offered ("none of these work", "none", "later"). Hindi in Devanagari is read
through the same Hinglish words ("कल शाम" = "kal shaam", "सोमवार", "20 तारीख के बाद"),
Devanagari digits as ASCII, and clock times the Hindi way ("10 baje", "shaam 5 baje ke
baad", "11 बजे से पहले"); "kal" is tomorrow here (a visit is never booked for yesterday). `fit_slots` filters and ranks
candidate slots by it: what fits first (by start); when nothing fits, the nearest ones,
relaxing the time of day first, then the day (never the earliest date: someone who is away
until the 20th cannot take the 18th), and says what it relaxed.

Plain functions: datetimes in are timezone-aware; dates out are local dates.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.domain import hindi_words
from bot.domain.calendar import Zone, zone

PERIODS = ("morning", "afternoon", "evening")
# Local hours [start, end) of each part of the day, for fitting and for nearness.
PERIOD_HOURS = {"morning": (6, 12), "afternoon": (12, 17), "evening": (17, 22)}

_DAY_WORDS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("monday", "mon", "mondays", "somvar", "somvaar", "somwar"),
        ("tuesday", "tue", "tues", "tuesdays", "tusday", "mangalvar", "mangalvaar", "mangalwar"),
        ("wednesday", "wed", "weds", "wednesdays", "wensday", "wednes", "budhvar", "budhvaar", "budhwar"),
        ("thursday", "thu", "thur", "thurs", "thursdays", "thrusday", "guruvar", "guruvaar", "guruwar"),
        ("friday", "fri", "fridays", "shukravar", "shukravaar", "shukrawar"),
        ("saturday", "sat", "saturdays", "saterday", "satur", "shanivar", "shanivaar", "shaniwar"),
        ("sunday", "sun", "sundays", "sundy", "ravivar", "ravivaar", "raviwar", "itwaar", "itwar", "itvaar", "etwaar"),
    )
):
    for _name in _names:
        _DAY_WORDS[_name] = _index

_MONTH_WORDS: dict[str, int] = {}
for _index, _name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november")
    + ("december",),
    start=1,
):
    _MONTH_WORDS[_name] = _index
    _MONTH_WORDS[_name[:3]] = _index
_MONTH_WORDS["sept"] = 9

_PERIOD_WORDS = {
    "morning": "morning",
    "mornings": "morning",
    "mrng": "morning",
    "morng": "morning",
    "morn": "morning",
    "subah": "morning",
    "subha": "morning",
    "savere": "morning",
    "afternoon": "afternoon",
    "afternoons": "afternoon",
    "aftrnoon": "afternoon",
    "afternon": "afternoon",
    "aftn": "afternoon",
    "noon": "afternoon",
    "dopahar": "afternoon",
    "dopehar": "afternoon",
    "dophar": "afternoon",
    "evening": "evening",
    "evenings": "evening",
    "evng": "evening",
    "eve": "evening",
    "evenin": "evening",
    "night": "evening",
    "tonight": "evening",
    "shaam": "evening",
    "sham": "evening",
    "raat": "evening",
}

_DAYS_RE = "|".join(sorted(map(re.escape, _DAY_WORDS), key=len, reverse=True))
_MONTHS_RE = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)"
# A date: "20th", "the 20th", "20th dec", "20 of december", "dec 20", "20/12".
_DATE = (
    rf"(?:(?P<dm_d>\d{{1,2}})/(?P<dm_m>\d{{1,2}})"
    rf"|(?P<md_m>{_MONTHS_RE})\s+(?:the\s+)?(?P<md_d>\d{{1,2}}){_ORD}?"
    rf"|(?:the\s+)?(?P<d>\d{{1,2}})(?P<ord>{_ORD})?(?:\s+of)?(?:\s+(?P<m>{_MONTHS_RE}))?)"
)
_AFTER_WORDS = r"after|post|beyond|aftr|baad"
_FROM_WORDS = r"from|starting|starting from|on or after|not before|back on|back by|onwards from|available from"
_UNTIL_WORDS = r"until|till|til|untill|upto|up to|through|thru|tak"
_BEFORE_WORDS = r"before|by|latest by"
_DATE_AFTER = re.compile(rf"\b({_AFTER_WORDS}|{_FROM_WORDS}|{_UNTIL_WORDS}|{_BEFORE_WORDS})\s+{_DATE}\b")
_DATE_ON = re.compile(rf"\b(?:on\s+)?{_DATE}\b")
_TARIKH = r"(?:\s+(?P<tarikh>tarikh|tareekh|taarikh|tarik|tareek))?"  # "20 tarikh", "20 तारीख"
# "20 tak bahar hu", "20 ke baad", "20 tarikh se pehle", "5 tarikh se"
_HI_DATE = re.compile(
    rf"\b{_DATE}{_TARIKH}\s+(?P<hi>tak|ke baad|ke bad|ke baat|se pehle|se pahle|ke pehle|se phle|se)\b"
)
_HI_DATE_ON = re.compile(r"\b(?P<d>\d{1,2})\s+(?:tarikh|tareekh|taarikh|tarik|tareek)\b")  # "22 tarikh ko"
_HI_PERIOD = r"subah|subha|savere|dopahar|dopehar|dophar|shaam|sham|raat"
# "10 baje", "subah 10 baje", "5 baje shaam ko", "shaam 5 baje ke baad", "11 baje se pehle"
_HI_TIME = re.compile(
    rf"\b(?:(?P<pre>{_HI_PERIOD})\s+(?:ko\s+)?)?(?P<h>\d{{1,2}})(?::(?P<min>\d{{2}}))?\s*(?:baje|bje|bajey|baj)\b"
    rf"(?:\s+(?P<post>{_HI_PERIOD}))?(?:\s+(?:ko\s+)?(?P<rel>ke baad|ke bad|baad|se pehle|se pahle|ke pehle|se phle|"
    rf"pehle|tak|se|ke aas paas|ke aaspaas|ke around|around))?\b"
)
# Devanagari words read as the Hinglish ones the rules know (anything else is dropped).
_DEVANAGARI_AS_HINGLISH = {
    hindi_words.fold(word): hinglish
    for hinglish, spellings in {
        "kal": ("कल",),
        "aaj": ("आज",),
        "parso": ("परसों", "परसो"),
        "subah": ("सुबह", "सुबहा", "सवेरे"),
        "dopahar": ("दोपहर",),
        "shaam": ("शाम",),
        "raat": ("रात",),
        "somvar": ("सोमवार",),
        "mangalvar": ("मंगलवार",),
        "budhvar": ("बुधवार",),
        "guruvar": ("गुरुवार", "बृहस्पतिवार", "वीरवार"),
        "shukravar": ("शुक्रवार",),
        "shanivar": ("शनिवार",),
        "ravivar": ("रविवार", "इतवार"),
        "agle": ("अगले", "अगला", "अगली"),
        "hafte": ("हफ्ते", "हफ्ता", "सप्ताह", "हफ़्ते"),
        "mahine": ("महीने", "महीना"),
        "is": ("इस",),
        "tak": ("तक",),
        "baad": ("बाद",),
        "ke": ("के",),
        "ko": ("को",),
        "se": ("से",),
        "pehle": ("पहले",),
        "nahi": ("नहीं", "नही"),
        "bahar": ("बाहर",),
        "hu": ("हूं", "हूँ", "हु", "हूं।"),
        "baje": ("बजे",),
        "tarikh": ("तारीख", "तारीख़", "तारिख"),
        "weekend": ("वीकेंड",),
        "koi": ("कोई",),
        "aur": ("और",),
        "dusra": ("दूसरा", "दूसरी"),
        "chalega": ("चलेगा",),
        "hoga": ("होगा",),
        "aage": ("आगे",),
        "inmein": ("इनमें", "इनमे"),
        "bhi": ("भी",),
    }.items()
    for word in spellings
}
_DEVANAGARI = re.compile(hindi_words.DEVANAGARI_WORD)
_TIME = re.compile(
    r"\b(?:(?P<rel>after|from|post|past|before|by|until|till|around|at|about|aftr)\s+)?"
    r"(?P<h>\d{1,2})(?::(?P<min>\d{2}))?\s*(?P<ampm>am|pm)\b"
    r"|\b(?P<rel24>after|from|past|before|by|until|till|around|at|aftr)\s+(?P<h24>\d{1,2}):(?P<min24>\d{2})\b"
    rf"|\b(?P<relbare>after|before|past|aftr)\s+(?P<hbare>\d{{1,2}})\b(?!\s*(?:st|nd|rd|th|/|of\b|(?:{_MONTHS_RE})\b))"
)
_AWAY = re.compile(
    r"\b(travel+ing|travel|away|out of (town|station|the country|india)|outstation|not (at )?home|not available|"
    r"not around|not in town|busy|holiday|vacation|trip|abroad|gone|bahar|nahi hu|not here|back)\b"
)
_AVAILABLE = re.compile(r"\b(free|available|ok|okay|fine|works?|possible|can do)\b")
_NONE = re.compile(
    r"\b(none|neither|nothing)\b(?! (else|more))"
    r"|\b(these|those|they|that|them|this|it|any|dates?|times?|slots?|days?|options?)\s+"
    r"(do ?n'?t|dont|do not|does ?n'?t|doesnt|does not|wo ?n'?t|wont|will not|can ?n'?t|cant|cannot|are not|arent|"
    r"is not|isnt|not)\s+(work|suit|fit|possible|good|ok|okay|convenient|do)"
    r"|\b(ca ?n'?t|cannot|cant|not able to|unable to)\s+(make|do|manage|take)\s+(any|it|those|these|them|that|either)"
    r"|\b(other|different|another|more|else|some other|any other|alternative)\s+(times?|slots?|days?|dates?|options?)\b"
    r"|\bsomething else\b|\bnot (suitable|convenient|possible)\b|\bkoi (aur|or|dusra)\b|\b(nahi|nhi) (chalega|hoga)\b"
    r"|\bkoi (bhi )?(nahi|nhi)\b"
)
_BARE_NO = frozenset(
    {"no", "nope", "nah", "nahi", "nhi", "nahin", "na", "naa", "none", "neither", "no thanks", "no thank you"}
)
_LATER = re.compile(r"\b(later|further out|further ahead|afterwards|aage)\b")
_NOT_THIS_WEEK = re.compile(
    r"\b(not|no|nothing|except|can ?n'?t do|cant do)\s+(this|dis|the current)\s+(week|wk)\b|\bafter this (week|wk)\b"
    r"|\bnext (week|wk) onwards?\b|\bis hafte nahi\b"
)
_NEXT_WEEK = re.compile(r"\b(next|nxt|following|coming)\s+(week|wk)\b|\bagle (hafte|hafta|week)\b")
_THIS_WEEK = re.compile(r"\b(this|dis)\s+(week|wk)\b|\bis (hafte|hafta)\b")
_NEXT_MONTH = re.compile(r"\b(next|nxt|following|coming)\s+month\b|\bagle (mahine|mahina)\b")
_WEEKEND = re.compile(r"\bweek ?ends?\b")
_WEEKDAYS = re.compile(r"\b(week ?days?|working days?)\b")
_DAY_AFTER_TOMORROW = re.compile(r"\bday after (tomorrow|tmrw|tmr|tommorow|tomorow)\b|\b(parso|parson|parsoon)\b")
_TOMORROW = re.compile(r"\b(tomorrow|tmrw|tmr|tommorow|tomorow|tommorrow|tomorrw|kal)\b")
_TODAY = re.compile(r"\b(today|aaj|tonight)\b")
_AFTER_WORK = re.compile(r"\bafter (work|office|lunch)\b")
_NEGATED_DAY = re.compile(
    rf"\b(?:not|except|no|excluding|apart from|other than|but not|anything but|any day but)\s+(?:on\s+)?(?:a\s+)?"
    rf"(?P<day>{_DAYS_RE})\b"
    rf"|\b(?P<day2>{_DAYS_RE})\s+(?:is\s+|are\s+)?(?:not|do ?n'?t|does ?n'?t|wo ?n'?t|ca ?n'?t|cannot|is ?n'?t|nahi)\b"
)


@dataclass(frozen=True)
class TimePreference:
    """What the customer asked for. Dates are local; `not_before` is a hard limit, the rest
    are wishes the nearest slots are ranked by when nothing fits them."""

    weekdays: frozenset[int] = frozenset()  # 0 = Monday
    avoid_weekdays: frozenset[int] = frozenset()
    on_date: dt.date | None = None
    not_before: dt.date | None = None
    not_after: dt.date | None = None
    periods: frozenset[str] = frozenset()
    from_time: dt.time | None = None  # a visit starting at or after ("after 6pm")
    until_time: dt.time | None = None  # a visit starting before ("before 11am")
    not_this_week: bool = False
    none_of_these: bool = False  # what was offered does not suit
    later: bool = False  # later than what was offered

    @property
    def wants_other_times(self) -> bool:
        return self.none_of_these or self.later

    @property
    def has_day(self) -> bool:
        return bool(self.weekdays or self.on_date or self.not_after)

    @property
    def has_time(self) -> bool:
        return bool(self.periods or self.from_time or self.until_time)

    @property
    def constrains(self) -> bool:
        """Says something about when (not only "none of these")."""
        return self.has_day or self.has_time or bool(self.not_before or self.avoid_weekdays)

    @property
    def is_empty(self) -> bool:
        return not (self.constrains or self.wants_other_times)

    def merged(self, newer: TimePreference) -> TimePreference:
        """This preference with what a later message says on top: each aspect the newer
        one names replaces this one's; a new day or date replaces the old day and date."""
        merged = self
        if newer.weekdays or newer.on_date:
            merged = replace(merged, weekdays=newer.weekdays, on_date=newer.on_date)
        if newer.not_after:
            merged = replace(merged, not_after=newer.not_after)
        if newer.not_before:
            merged = replace(merged, not_before=newer.not_before, not_this_week=newer.not_this_week)
        if newer.has_time:
            merged = replace(merged, periods=newer.periods, from_time=newer.from_time, until_time=newer.until_time)
        if newer.avoid_weekdays:
            merged = replace(merged, avoid_weekdays=merged.avoid_weekdays | newer.avoid_weekdays)
        if merged.on_date and merged.not_before and merged.on_date < merged.not_before:
            merged = replace(merged, on_date=None)
        if merged.not_after and merged.not_before and merged.not_after < merged.not_before:
            merged = replace(merged, not_after=None)
        return replace(merged, none_of_these=newer.none_of_these, later=newer.later)


def _normal(text: str) -> str:
    text = hindi_words.fold(text)  # lower case, ASCII digits, one spelling of Devanagari
    # another Devanagari word stays a word ("मुझे हिंदी नहीं आती" is no bare "nahi")
    text = _DEVANAGARI.sub(lambda m: f" {_DEVANAGARI_AS_HINGLISH.get(m.group(0), 'xx')} ", text)
    text = re.sub(r"(\d)\.(\d{2})\b", r"\1:\2", text)
    text = re.sub(r"(\d)\s*([ap])\.?m\b\.?", r"\1\2m", text)
    text = re.sub(r"[^a-z0-9:/' ]+", " ", text)
    text = text.replace("'", "")
    return " ".join(text.split())


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def _resolve(today: dt.date, day: int, month: int | None) -> dt.date | None:
    """The next date (today or later) with that day of the month (and month, if given)."""
    if not 1 <= day <= 31:
        return None
    if month is not None:
        if not 1 <= month <= 12:
            return None
        for year in (today.year, today.year + 1):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                return None
            if candidate >= today:
                return candidate
        return None
    for ahead in range(0, 13):
        first = _add_months(today.replace(day=1), ahead)
        if day <= _calendar.monthrange(first.year, first.month)[1]:
            candidate = first.replace(day=day)
            if candidate >= today:
                return candidate
    return None


def _date_of(match: re.Match[str], today: dt.date) -> dt.date | None:
    groups = match.groupdict()
    if groups.get("dm_d"):
        return _resolve(today, int(groups["dm_d"]), int(groups["dm_m"]))
    if groups.get("md_d"):
        return _resolve(today, int(groups["md_d"]), _MONTH_WORDS[groups["md_m"]])
    if groups.get("d"):
        month = _MONTH_WORDS[groups["m"]] if groups.get("m") else None
        return _resolve(today, int(groups["d"]), month)
    return None


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _hour(hour: int, minute: int, ampm: str | None) -> dt.time | None:
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif hour > 23:
        return None
    return dt.time(hour, min(minute, 59))


def _period_of(at: dt.time) -> str:
    return "morning" if at.hour < 12 else "afternoon" if at.hour < 17 else "evening"


def _times(words: str, fields: dict[str, Any]) -> str:
    """Read the clock times; returns the text with them taken out (so "after 6pm" is no date)."""
    words = _hindi_times(words, fields)
    for match in _TIME.finditer(words):
        g = match.groupdict()
        if g["h"]:
            at, rel = _hour(int(g["h"]), int(g["min"] or 0), g["ampm"]), g["rel"]
        elif g["h24"]:
            at, rel = _hour(int(g["h24"]), int(g["min24"]), None), g["rel24"]
        else:
            hour = int(g["hbare"])
            if not 1 <= hour <= 12:  # "after 20": a date
                continue
            at, rel = _hour(hour + (12 if hour < 8 else 0), 0, None), g["relbare"]
        if at is None:
            continue
        if rel in ("after", "from", "post", "past", "aftr"):
            fields["from_time"] = at
        elif rel in ("before", "by", "until", "till"):
            fields["until_time"] = at
        else:
            fields.setdefault("periods", set()).add(_period_of(at))
        words = words.replace(match.group(0), " ")
    return words


def _hindi_times(words: str, fields: dict[str, Any]) -> str:
    """A Hindi clock time: "10 baje", "shaam 5 baje ke baad", "11 baje se pehle" (without a part
    of the day, 1–7 is afternoon or evening as in "after 6"); the part of the day is kept."""
    for match in _HI_TIME.finditer(words):
        g = match.groupdict()
        hour, minute, period = int(g["h"]), int(g["min"] or 0), g["pre"] or g["post"]
        afternoon = period in ("dopahar", "dopehar", "dophar", "shaam", "sham", "raat")
        if (afternoon and hour < 12) or (period is None and 1 <= hour < 8):
            hour += 12
        at = _hour(hour, minute, None)
        if at is None:
            continue
        rel = g["rel"]
        if rel in ("ke baad", "ke bad", "baad", "se"):
            fields["from_time"] = at
        elif rel in ("se pehle", "se pahle", "ke pehle", "se phle", "pehle", "tak"):
            fields["until_time"] = at
        else:
            fields.setdefault("periods", set()).add(_period_of(at))
        words = words.replace(match.group(0), f" {period or ''} ")
    return words


def _dates(words: str, today: dt.date, fields: dict[str, Any]) -> str:
    away = _AWAY.search(words) is not None
    for match in _HI_DATE.finditer(words):
        day = _date_of(match, today)
        if day is not None:
            hi = match.group("hi")
            if hi == "se":  # "5 tarikh se": from the 5th (not "subah 9 se 12 tak", hours)
                if match.group("tarikh") or match.group("ord") or match.group("m") or match.group("md_m"):
                    fields["not_before"] = day
                    words = words.replace(match.group(0), " ")
                continue
            elif hi in ("se pehle", "se pahle", "ke pehle", "se phle"):
                fields["not_after"] = day - dt.timedelta(days=1)
            else:
                fields["not_before"] = day + dt.timedelta(days=1)
            words = words.replace(match.group(0), " ")
    for match in _HI_DATE_ON.finditer(words):
        day = _date_of(match, today)
        if day is not None:
            fields["on_date"] = day
            words = words.replace(match.group(0), " ")
    for match in _DATE_AFTER.finditer(words):
        day = _date_of(match, today)
        if day is None:
            continue
        rel = match.group(1)
        if re.fullmatch(_AFTER_WORDS, rel):
            fields["not_before"] = day + dt.timedelta(days=1)
        elif re.fullmatch(_FROM_WORDS, rel):
            fields["not_before"] = day
        elif re.fullmatch(_UNTIL_WORDS, rel):
            if away or not _AVAILABLE.search(words):  # "travelling till the 20th": from the 21st
                fields["not_before"] = day + dt.timedelta(days=1)
            else:  # "free until the 20th"
                fields["not_after"] = day
        elif rel == "by" or rel == "latest by":
            fields["not_after"] = day
        else:
            fields["not_after"] = day - dt.timedelta(days=1)
        words = words.replace(match.group(0), " ")
    for match in _DATE_ON.finditer(words):
        g = match.groupdict()
        if g.get("d") and not (g.get("ord") or g.get("m")):
            continue  # a bare number: a position or a house number, not a date
        day = _date_of(match, today)
        if day is not None:
            fields["on_date"] = day
    return words


def parse_time_preference(text: str, today: dt.date) -> TimePreference | None:
    """The preference in a message (None: it says nothing about when)."""
    words = _normal(text)
    if not words:
        return None
    fields: dict[str, Any] = {}
    if words in _BARE_NO:
        return TimePreference(none_of_these=True)
    if _NONE.search(words):
        fields["none_of_these"] = True
    if _LATER.search(words):
        fields["later"] = True
    if _AFTER_WORK.search(words):
        fields["periods"] = {"evening" if "lunch" not in words else "afternoon"}
        words = _AFTER_WORK.sub(" ", words)
    words = _times(words, fields)
    if _NOT_THIS_WEEK.search(words):
        fields["not_before"], fields["not_this_week"] = _monday(today) + dt.timedelta(days=7), True
        words = _NOT_THIS_WEEK.sub(" ", words)
    elif _NEXT_WEEK.search(words):
        fields["not_before"] = _monday(today) + dt.timedelta(days=7)
        fields["not_after"] = _monday(today) + dt.timedelta(days=13)
    elif _THIS_WEEK.search(words):
        fields["not_after"] = _monday(today) + dt.timedelta(days=6)
    if _NEXT_MONTH.search(words):
        first = _add_months(today.replace(day=1), 1)
        fields["not_before"] = first
        fields["not_after"] = _add_months(first, 1) - dt.timedelta(days=1)
    words = _dates(words, today, fields)
    if _DAY_AFTER_TOMORROW.search(words):
        fields["on_date"] = today + dt.timedelta(days=2)
    elif _TOMORROW.search(words):
        fields["on_date"] = today + dt.timedelta(days=1)
    elif _TODAY.search(words):
        fields["on_date"] = today
    avoid = {_DAY_WORDS[m.group("day") or m.group("day2")] for m in _NEGATED_DAY.finditer(words)}
    negated_spans = [m.span() for m in _NEGATED_DAY.finditer(words)]
    wanted: set[int] = set()
    for match in re.finditer(rf"\b({_DAYS_RE})\b", words):
        if not any(start <= match.start() < end for start, end in negated_spans):
            wanted.add(_DAY_WORDS[match.group(1)])
    if _WEEKEND.search(words):
        wanted |= {5, 6}
    elif _WEEKDAYS.search(words):
        wanted |= {0, 1, 2, 3, 4}
    for word in words.split():
        if word in _PERIOD_WORDS:
            fields.setdefault("periods", set()).add(_PERIOD_WORDS[word])
    preference = TimePreference(
        weekdays=frozenset(wanted - avoid),
        avoid_weekdays=frozenset(avoid),
        on_date=fields.get("on_date"),
        not_before=fields.get("not_before"),
        not_after=fields.get("not_after"),
        periods=frozenset(fields.get("periods", ())),
        from_time=fields.get("from_time"),
        until_time=fields.get("until_time"),
        not_this_week=bool(fields.get("not_this_week")),
        none_of_these=bool(fields.get("none_of_these")),
        later=bool(fields.get("later")),
    )
    return None if preference.is_empty else preference


# ---------------------------------------------------------------------- fitting slots


@dataclass(frozen=True)
class Fit:
    """The chosen candidates (indexes into the input, best first) and what was relaxed to
    find them: "time" (the part of the day), "day" (the day or date)."""

    chosen: list[int]
    relaxed: frozenset[str] = field(default_factory=frozenset)


def _day_fits(day: dt.date, pref: TimePreference) -> bool:
    if pref.on_date and day != pref.on_date:
        return False
    if pref.weekdays and day.weekday() not in pref.weekdays:
        return False
    return not (pref.not_after and day > pref.not_after)


def _day_distance(day: dt.date, pref: TimePreference) -> int:
    distance = 0
    if pref.on_date:
        distance = abs((day - pref.on_date).days)
    elif pref.weekdays:
        distance = min(min((day.weekday() - w) % 7, (w - day.weekday()) % 7) for w in pref.weekdays)
    if pref.not_after and day > pref.not_after:
        distance = max(distance, (day - pref.not_after).days)
    return distance


def _hours(at: dt.datetime) -> float:
    return at.hour + at.minute / 60


def _time_fits(start: dt.datetime, pref: TimePreference) -> bool:
    if pref.periods and not any(lo <= start.hour < hi for lo, hi in (PERIOD_HOURS[p] for p in pref.periods)):
        return False
    if pref.from_time and start.time() < pref.from_time:
        return False
    return not (pref.until_time and start.time() >= pref.until_time)


def _time_distance(start: dt.datetime, end: dt.datetime, pref: TimePreference) -> float:
    """Hours between the slot and the wanted part of the day (0 when they overlap)."""
    s, e = _hours(start), _hours(end) if end.date() == start.date() else 24.0
    gaps = []
    for period in pref.periods:
        lo, hi = PERIOD_HOURS[period]
        gaps.append(max(0.0, lo - e, s - hi))
    if pref.from_time:
        gaps.append(max(0.0, pref.from_time.hour + pref.from_time.minute / 60 - e))
    if pref.until_time:
        gaps.append(max(0.0, s - (pref.until_time.hour + pref.until_time.minute / 60)))
    return max(gaps, default=0.0)


def fit_slots(
    windows: Sequence[tuple[dt.datetime, dt.datetime]],
    pref: TimePreference,
    tz: Zone,
    *,
    limit: int = 3,
) -> Fit:
    """The `limit` candidates (start, end) that fit `pref` best; `windows` are free slots,
    in any order. Those before `not_before` or on an avoided weekday never count."""
    zone_ = zone(tz)
    local = [(s.astimezone(zone_), e.astimezone(zone_)) for s, e in windows]
    allowed = [
        i
        for i, (s, _e) in enumerate(local)
        if not (pref.not_before and s.date() < pref.not_before) and s.weekday() not in pref.avoid_weekdays
    ]

    def by_start(indexes: Iterable[int]) -> list[int]:
        return sorted(indexes, key=lambda i: (local[i][0], i))

    exact = [i for i in allowed if _day_fits(local[i][0].date(), pref) and _time_fits(local[i][0], pref)]
    if exact:
        return Fit(by_start(exact)[:limit])
    if pref.has_time:
        same_day = [i for i in allowed if _day_fits(local[i][0].date(), pref)]
        if same_day:
            ranked = sorted(same_day, key=lambda i: (_time_distance(*local[i], pref), local[i][0], i))
            return Fit(ranked[:limit], frozenset({"time"}))
    ranked = sorted(
        allowed,
        key=lambda i: (_day_distance(local[i][0].date(), pref), _time_distance(*local[i], pref), local[i][0], i),
    )
    relaxed = {"day"} if pref.has_day else set()
    if pref.has_time and ranked and not _time_fits(local[ranked[0]][0], pref):
        relaxed.add("time")
    return Fit(ranked[:limit], frozenset(relaxed))


def days_not_worked(pref: TimePreference, working_days: Iterable[int]) -> frozenset[int]:
    """The weekdays asked for (or the weekday of the date asked for) that are not working days."""
    asked = set(pref.weekdays) | ({pref.on_date.weekday()} if pref.on_date else set())
    return frozenset(asked - set(working_days))


def time_outside_hours(pref: TimePreference, slot_times: Iterable[tuple[dt.time, dt.time]]) -> bool:
    """True when no daily slot of the calendar can fit the part of the day asked for."""
    if not pref.has_time:
        return False
    probe = dt.date(2000, 1, 3)
    return not any(_time_fits(dt.datetime.combine(probe, start), pref) for start, _end in slot_times)


# ---------------------------------------------------------------------- storing it


def preference_to_dict(pref: TimePreference) -> dict[str, Any]:
    """JSON-safe form (for a Rasa slot)."""

    def iso(value: dt.date | dt.time | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "weekdays": sorted(pref.weekdays),
        "avoid_weekdays": sorted(pref.avoid_weekdays),
        "on_date": iso(pref.on_date),
        "not_before": iso(pref.not_before),
        "not_after": iso(pref.not_after),
        "periods": sorted(pref.periods),
        "from_time": iso(pref.from_time),
        "until_time": iso(pref.until_time),
        "not_this_week": pref.not_this_week,
        "none_of_these": pref.none_of_these,
        "later": pref.later,
    }


def preference_from_dict(data: dict[str, Any] | None) -> TimePreference | None:
    if not data:
        return None

    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(data[key]) if data.get(key) else None

    def at(key: str) -> dt.time | None:
        return dt.time.fromisoformat(data[key]) if data.get(key) else None

    try:
        return TimePreference(
            weekdays=frozenset(int(w) for w in data.get("weekdays") or ()),
            avoid_weekdays=frozenset(int(w) for w in data.get("avoid_weekdays") or ()),
            on_date=day("on_date"),
            not_before=day("not_before"),
            not_after=day("not_after"),
            periods=frozenset(p for p in data.get("periods") or () if p in PERIODS),
            from_time=at("from_time"),
            until_time=at("until_time"),
            not_this_week=bool(data.get("not_this_week")),
            none_of_these=bool(data.get("none_of_these")),
            later=bool(data.get("later")),
        )
    except (TypeError, ValueError):
        return None
