"""What one paragraph of a programme says: a time, a date, a label, a reference, a question.

Each function looks at one paragraph's text and returns what it found (or
None); none decides where the paragraph goes, which is `front.py`'s and
`agenda.py`'s business. English first: the words are those programmes of
intergovernmental meetings use.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from facilitator.programme import Person

# ------------------------------------------------------------------ times

_AMPM = r"(?:\s*(?P<{n}ap>[aApP])\.?\s?[mM]\.?(?![A-Za-z]))?"
_CLOCK = r"(?P<{n}h>\d{{1,2}})(?:\s?[:.hH]\s?(?P<{n}m>\d{{2}})|(?P<{n}hh>[hH])(?![A-Za-z0-9]))?" + _AMPM
_HOURS_WORD = r"(?:\s*(?:hrs?|hours|h)\b\.?)?"
_TIME_RANGE = re.compile(
    r"^\s*(?:from\s+)?" + _CLOCK.format(n="s") + _HOURS_WORD
    + r"(?:\s*(?:[-–—‐]+|to|until|till)\s*" + _CLOCK.format(n="e") + _HOURS_WORD + r")?"
    + r"(?P<rest>.*)$",
    re.S,
)  # fmt: skip


@dataclass(frozen=True)
class Times:
    """A time (or a time range) at the start of a paragraph, and the text after it."""

    start: dt.time
    end: dt.time | None
    rest: str
    twelve_hour: bool  # given with am/pm: never read as the afternoon by guess


def times_at_start(text: str) -> Times | None:
    """`10:00`, `10.00`, `10h00`, `10 am`, `10:00 – 10:15`, `2:30-3 pm`, then the rest ("Opening")."""
    match = _TIME_RANGE.match(text)
    if not match:
        return None
    rest = match["rest"]
    if rest and (rest[0].isalnum() or rest[0] in ".:") and not re.match(r"[:.]\s", rest):
        return None  # "10.000 people", "10:00:30": not a time followed by a title
    start = _clock(match, "s", match["eap"])
    if start is None:
        return None
    end = _clock(match, "e", None) if match["eh"] else None
    if match["eh"] and end is None:
        return None
    if end is not None and end <= start and not match["eap"] and end.hour < 12:
        end = end.replace(hour=end.hour + 12)  # "11:30 – 1:00": one o'clock in the afternoon
    rest = re.sub(r"^[\s\-–—:|•·,;]+", "", rest).strip()
    return Times(start, end, rest, bool(match["sap"] or match["eap"]))


def _clock(match: re.Match[str], n: str, fallback_ampm: str | None) -> dt.time | None:
    hours, minutes, h_only, ampm = match[f"{n}h"], match[f"{n}m"], match[f"{n}hh"], match[f"{n}ap"] or fallback_ampm
    if minutes is None and h_only is None and ampm is None:
        return None  # a bare number is not a time
    hour, minute = int(hours), int(minutes or 0)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


# ------------------------------------------------------------------ dates

_MONTH_NAMES = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"),
    ("november", "nov"), ("december", "dec"),
)  # fmt: skip
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}
_WEEKDAY_NAMES = (
    ("monday", "mon"), ("tuesday", "tues", "tue"), ("wednesday", "wed"), ("thursday", "thurs", "thur", "thu"),
    ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun"),
)  # fmt: skip
WEEKDAYS = {name: number for number, names in enumerate(_WEEKDAY_NAMES) for name in names}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DASH = r"\s*(?:[-–—‐]+|to|and|&)\s*"
_DATE_PATTERNS = (
    # 30 November – 2 December 2012
    re.compile(rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<d1>\d{{1,2}}){_ORD}\s+(?P<m1>{_MONTH}){_DASH}"
               rf"(?:{_WEEKDAY},?\s+)?(?P<d2>\d{{1,2}}){_ORD}\s+(?P<m2>{_MONTH}),?\s+(?P<y>\d{{4}})", re.I),
    # Tuesday, 22 May 2012 / 5–6 December 2012 / 22nd of May / TUESDAY 22 MAY
    re.compile(rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?P<d1>\d{{1,2}}){_ORD}"
               rf"(?:{_DASH}(?:{_WEEKDAY},?\s+)?(?P<d2>\d{{1,2}}){_ORD})?\s+(?:of\s+)?(?P<m1>{_MONTH})"
               rf"(?:,?\s+(?P<y>\d{{4}}))?", re.I),
    # Tuesday, May 22, 2012 / December 5-6, 2012
    re.compile(rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}}){_ORD}"
               rf"(?:{_DASH}(?P<d2>\d{{1,2}}){_ORD})?(?:,?\s+(?P<y>\d{{4}}))?", re.I),
    re.compile(r"(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d1>\d{2})"),
)  # fmt: skip


_LONGEST_DATE_LINE = 200


@dataclass(frozen=True)
class Dates:
    """The days a paragraph names; `year` is None when the text gives none ("Tuesday 22 May")."""

    days: tuple[tuple[int, int], ...]  # (month, day), in order
    year: int | None
    weekday: int | None  # of the first day, when the text names it (Monday = 0)
    span: tuple[int, int]  # where in the text

    def resolve(self, year: int | None) -> tuple[dt.date, ...]:
        """The dates, in `year` when the text gives none; () when they are not real days."""
        year = self.year or year
        if year is None:
            return ()
        try:
            return tuple(dt.date(year, month, day) for month, day in self.days)
        except ValueError:
            return ()


def find_dates(text: str) -> Dates | None:
    """The first date (or range of dates) in the text."""
    if len(text) > _LONGEST_DATE_LINE or not any(c.isdigit() for c in text):
        return None  # a date line is short and has a number; a long paragraph is not searched letter by letter
    found = [m for pattern in _DATE_PATTERNS if (m := pattern.search(text))]
    if not found:
        return None
    match = min(found, key=lambda m: (m.start(), -len(m[0])))
    year = int(match["y"]) if match["y"] else None
    groups = match.groupdict()
    first_month = int(groups["mn"]) if groups.get("mn") else MONTHS[match["m1"].lower().rstrip(".")]
    last_month = MONTHS[groups["m2"].lower().rstrip(".")] if groups.get("m2") else first_month
    first, last = int(match["d1"]), int(groups.get("d2") or match["d1"])
    days = _day_range(first_month, first, last_month, last, year)
    if not days:
        return None
    weekday = WEEKDAYS[groups["wd"].lower().rstrip(".")] if groups.get("wd") else None
    return Dates(days, year, weekday, match.span())


def _day_range(m1: int, d1: int, m2: int, d2: int, year: int | None) -> tuple[tuple[int, int], ...]:
    """Every (month, day) from the first to the last, across a month's end; () if not real days."""
    probe = year or 2000  # a leap year: 29 February is a real day without a year
    try:
        first, last = dt.date(probe, m1, d1), dt.date(probe, m2, d2)
    except ValueError:
        return ()
    if last < first or (last - first).days > 31:
        return ()
    return tuple(((first + dt.timedelta(days=i)).month, (first + dt.timedelta(days=i)).day)
                 for i in range((last - first).days + 1))  # fmt: skip


# Words a day heading may hold besides its date: "PROGRAMME – TUESDAY 22 MAY", "Day 2: Wednesday 5 December".
_HEADING_WORDS = {
    "programme", "program", "agenda", "provisional", "draft", "annotated", "revised", "day", "date", "dates",
    "schedule", "timetable", "of", "work", "the", "session", "sessions", "meeting", "and", "first", "second",
    "third", "fourth", "fifth", "morning", "afternoon", "evening",
}  # fmt: skip
_AGENDA_WORDS = {"programme", "program", "agenda", "schedule", "timetable"}
_DAY_NUMBER = re.compile(r"\bday\s+(\d{1,2})\b", re.I)


@dataclass(frozen=True)
class DayHeading:
    """A paragraph that names a day (or several) and little else; `leftover` is what else it says."""

    dates: Dates | None
    day_number: int | None  # "Day 2"
    leftover: str


def day_heading(text: str) -> DayHeading | None:
    """A date on a line of its own, perhaps with "Programme", a weekday or "Day 2"."""
    dates = find_dates(text)
    number = _DAY_NUMBER.search(text)
    if dates is None and number is None:
        return None
    rest = text
    if dates is not None:
        rest = rest[: dates.span[0]] + " " + rest[dates.span[1] :]
    if number is not None:
        rest = _DAY_NUMBER.sub(" ", rest)
    leftover = [w for w in re.findall(r"[^\W\d_][\w'’-]*|\d+", rest) if w.lower() not in _HEADING_WORDS]
    if any(w.lower() in WEEKDAYS for w in leftover):
        leftover = [w for w in leftover if w.lower() not in WEEKDAYS]
    return DayHeading(dates, int(number[1]) if number else None, " ".join(leftover))


def is_agenda_heading(text: str) -> bool:
    """ "PROGRAMME", "Provisional agenda", "Programme of work": the agenda starts here."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    return bool(words) and len(words) <= 5 and set(words) <= _HEADING_WORDS and bool(set(words) & _AGENDA_WORDS)


# ------------------------------------------------------------------ labels: "Location: ...", "Moderator: ..."

_LABEL = re.compile(r"^(?P<label>[A-Z][\w’'()/&.-]*+(?: [\w’'()/&.-]++){0,5})\s*:\s*(?P<value>\S.*)$", re.S)
_BY = re.compile(
    r"^(?P<verb>presented|moderated|chaired|co-chaired|facilitated|introduced|led|hosted|opened|closed|organi[sz]ed"
    r"|convened|delivered)\s+by\s*:?\s+(?P<value>\S.*)$",
    re.I | re.S,
)
_BY_ROLES = {
    "presented": "Presenter", "moderated": "Moderator", "chaired": "Chair", "co-chaired": "Co-Chair",
    "facilitated": "Facilitator", "introduced": "Introduction", "led": "Lead", "hosted": "Host",
    "opened": "Opening", "closed": "Closing", "delivered": "Presenter",
}  # fmt: skip
_PRESENTER_WORDS = re.compile(
    r"\b(?:present(?:ation|ations|er|ers|ed)|speakers?|moderat(?:or|ors|ed)|facilitat(?:or|ors|ed)|chair(?:s|ed"
    r"|person|persons|ing)?|co-chairs?|panel(?:l)?ists?|panel|keynote|discussants?|rapporteurs?|respondents?"
    r"|introduc(?:tion|ed|er)|remarks|resource persons?|hosts?|lead|trainers?|briefing|address|statement)\b",
    re.I,
)
_LABEL_KINDS = (
    ("location", re.compile(r"^(?:location|room|place|where|meeting room|conference room)$", re.I)),
    ("venue", re.compile(r"^venue$", re.I)),
    ("chairs", re.compile(r"^(?:co-?chairs?|chairs?|chair(?:person|man|woman)s?|co-?chairpersons?|presidents?)$",
                          re.I)),
    ("organiser", re.compile(r"^(?:organi[sz]ers?|organi[sz]ed by|convened by|hosted by|host)$", re.I)),
    ("contact", re.compile(r"^(?:contacts?|e-?mail(?: address)?|website|web|tel|telephone|phone|enquiries"
                           r"|information)$", re.I)),
    ("references", re.compile(r"^(?:references?|see|relevant actions?|related actions?|mandate|source)$", re.I)),
    ("purpose", re.compile(r"^(?:purpose|objectives?|aims?|goals?|expected outcomes?)$", re.I)),
    ("date", re.compile(r"^(?:dates?|when)$", re.I)),
    ("description", re.compile(r"^(?:description|notes?|format|background|summary)$", re.I)),
)


@dataclass(frozen=True)
class Label:
    """A "Label: value" line; `kind` says what the label names."""

    kind: str  # location, venue, chairs, organiser, contact, references, purpose, date, description, presenters
    label: str
    value: str


def label_of(text: str) -> Label | None:
    """What a "Label: value" (or "Presented by ...") line is about, or None."""
    by = _BY.match(text)
    if by:
        verb = by["verb"].lower()
        if verb in ("organised", "organized", "convened"):
            return Label("organiser", by["verb"], by["value"].strip())
        return Label("presenters", _BY_ROLES.get(verb, "Presenter"), by["value"].strip())
    match = _LABEL.match(text)
    if not match:
        return None
    label, value = match["label"].strip(), match["value"].strip()
    for kind, pattern in _LABEL_KINDS:
        if pattern.match(label):
            return Label(kind, label, value)
    if len(label.split()) <= 5 and _PRESENTER_WORDS.search(label):
        return Label("presenters", label, value)
    return None


def people(label: str, value: str) -> list[Person]:
    """The people a label names: one each per ";" or line (a comma may be in a name: "Jane Doe, ICRC")."""
    names = [n.strip(" .") for n in re.split(r"\s*;\s*", value) if n.strip(" .")]
    role = singular(label) if len(names) > 1 else label
    return [Person(name, role) for name in names]


def chair_names(value: str) -> list[str]:
    """ "Algeria and Croatia", "Algeria, Croatia": one chair each (a guess: "Bosnia and Herzegovina" is one)."""
    parts = re.split(r"\s*(?:;|,\s*(?:and\s+)?|\s+and\s+|\s+&\s+)\s*", value.strip(" ."))
    return [p for p in parts if p]


def singular(role: str) -> str:
    """ "Co-Chairs" -> "Co-Chair", "Speakers" -> "Speaker": a role as one person holds it."""
    first, space, rest = role.partition(" ")
    if re.fullmatch(r"(?i)[\w-]*(?:chair|ist|er|or|person|host|lead)s", first):
        first = first[:-1]
    return first + space + rest


# ------------------------------------------------------------------ a table's header row

_COLUMN_ROLES = (
    ("time", re.compile(r"^(?:time|times|hours?|when|schedule)$", re.I)),
    ("title", re.compile(r"^(?:sessions?|items?|agenda items?|topics?|titles?|activit(?:y|ies)|what|programme|subjects?"
                         r"|themes?|agenda)$", re.I)),
    ("presenters", re.compile(r"^(?:speakers?|presenters?|moderators?|chairs?|facilitators?|who|resource persons?"
                              r"|panel(?:l)?ists?|lead|responsible|by)$", re.I)),
    ("location", re.compile(r"^(?:location|room|venue|where|place)$", re.I)),
    ("description", re.compile(r"^(?:description|notes?|details|remarks|format|comments?)$", re.I)),
)  # fmt: skip


def column_roles(texts: list[str]) -> dict[int, str] | None:
    """ "Time | Session | Speaker": what each column holds, or None when the row is not a header."""
    roles = {}
    for column, text in enumerate(texts):
        if not text:
            continue
        role = next((r for r, pattern in _COLUMN_ROLES if pattern.match(text.strip(" :"))), None)
        if role is None:
            return None
        roles[column] = role
    return roles if len(roles) >= 2 else None


# ------------------------------------------------------------------ references: "Cartagena Action Plan Action #24"

# Each name word starts at a word's start and is taken whole (possessive): a long run of letters
# is then read once, not once per letter, whatever the text holds.
_PLAN = r"(?:(?<![\w'’-])[A-Z][\w'’-]*+\s+){1,3}Action\s+Plan"
_NUMBERS = r"#\s*(?P<n>\d{1,3})(?P<more>(?:\s*(?:,|and|&)\s*#?\s*\d{1,3})*)"
_PLAN_FIRST = re.compile(rf"(?P<plan>{_PLAN})\s*(?:\([A-Z]{{2,6}}\))?,?\s*(?:Actions?\s*)?{_NUMBERS}")
_ACTION_FIRST = re.compile(rf"\bActions?\s*{_NUMBERS}\s+of\s+(?:the\s+)?(?P<plan>{_PLAN}|[A-Z]{{2,6}}\b)")
_ABBREVIATION = re.compile(rf"(?P<plan>{_PLAN})\s*\((?P<short>[A-Z]{{2,6}})\)")
# Capitalised words that start a sentence rather than name a plan ("In Cartagena Action Plan #24").
_NOT_IN_A_NAME = {"in", "the", "see", "of", "and", "under", "per", "from", "by", "to", "at", "on", "with", "for",
                  "its", "their", "this", "that", "a", "an", "as", "also", "both"}  # fmt: skip


def abbreviations(texts: list[str]) -> dict[str, str]:
    """ "Cartagena Action Plan (CAP)" anywhere in the document: CAP means that plan everywhere."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _ABBREVIATION.finditer(text):
            found.setdefault(match["short"], _plan_name(match["plan"]))
    return found


def references_in(text: str, short: dict[str, str]) -> list[tuple[str, tuple[int, int]]]:
    """Every action plan reference, as "Cartagena Action Plan, Action #24", with where it is."""
    out: list[tuple[str, tuple[int, int]]] = []
    for pattern in (_PLAN_FIRST, _ACTION_FIRST):
        for match in pattern.finditer(text):
            plan = match["plan"]
            if re.fullmatch(r"[A-Z]{2,6}", plan):
                if plan not in short:
                    continue  # "Action #3 of the CRPD": not a plan this document names
                plan = short[plan]
            plan = _plan_name(plan)
            numbers = [match["n"], *re.findall(r"\d{1,3}", match["more"] or "")]
            out.extend((f"{plan}, Action #{n}", match.span()) for n in numbers)
    out.sort(key=lambda found: found[1])
    return out


def _plan_name(plan: str) -> str:
    words = plan.split()
    while len(words) > 2 and words[0].lower() in _NOT_IN_A_NAME:
        words.pop(0)
    return " ".join(words)


def reference_line(text: str, short: dict[str, str]) -> list[str]:
    """The references of a paragraph that is nothing else ("Cartagena Action Plan Action #24"), or []."""
    found = references_in(text, short)
    if not found:
        return []
    rest = text
    for _, (start, end) in reversed(found):
        rest = rest[:start] + " " + rest[end:]
    return _unique(r for r, _ in found) if len(re.findall(r"[^\W\d_]{2,}", rest)) <= 3 else []


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]


# ------------------------------------------------------------------ sentences and questions

_ABBREV = r"(?:H\.E|Mr|Mrs|Ms|Dr|Prof|Amb|St|No|Nos|Vol|e\.g|i\.e|etc|cf|vs|Jr|Sr|[A-Z])"


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph; "H.E. Prak Sokhonn" or "Mr. Smith" do not end one."""
    parts: list[str] = []
    start = 0
    for match in re.finditer(r"(?<=[.?!])[\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])", text):
        before = text[max(start, match.start() - 8) : match.start()]  # an abbreviation is short: look no further
        if re.search(rf"(?:^|[\s(]){_ABBREV}\.$", before):
            continue  # an abbreviation's full stop, not the sentence's
        parts.append(text[start : match.end()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def is_question(text: str) -> bool:
    return bool(re.search(r"\?[\"”’')\]]*$", text.strip()))


_ASKS = re.compile(r"^(?:what|which|who|whom|whose|how|why|when|where|is|are|do|does|did|can|could|should|would"
                   r"|will|has|have|to what extent|in what)\b", re.I)


def asks(text: str) -> bool:
    """A list item that asks, with or without its question mark ("Which services work best")."""
    return is_question(text) or bool(_ASKS.match(text.strip()))


def questions_in(text: str) -> tuple[list[str], list[str]]:
    """The questions of a paragraph and its other sentences: "Consider: How can X? What is Y?" gives
    ["How can X?", "What is Y?"] and ["Consider:"]."""
    asked: list[str] = []
    other: list[str] = []
    for sentence in sentences(text):
        if not is_question(sentence):
            other.append(sentence)
            continue
        intro, colon, question = sentence.rpartition(": ")
        if colon and question[:1].isupper() and len(intro.split()) > 2:
            other.append(intro + ":")
            sentence = question
        asked.append(sentence)
    return asked, other


_PURPOSE = re.compile(r"^The (?:purpose|aim|objective|goal) of (?:this|the) (?:[\w-]+ ){0,3}is to (?P<rest>.+)$", re.S)


def purpose_in(sentence: str) -> str:
    """ "The purpose of this discussion is to highlight X." -> "To highlight X."; "" for any other sentence."""
    found = _PURPOSE.match(sentence.strip())
    return "To " + found["rest"] if found else ""


# ------------------------------------------------------------------ what a paragraph looks like

_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or", "per", "the",
    "to", "via", "with", "vs", "de", "la", "du", "des", "le", "et",
}  # fmt: skip
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:of|/)\s*\d{1,3})?$", re.I)


def word_count(text: str) -> int:
    return len(text.split())


def ends_a_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?][\"”’')\]]*$", text.strip()))


def is_heading_like(text: str) -> bool:
    """Short, no full stop, capital first: a title, a heading, an item's name."""
    text = text.strip()
    if not text or not 1 <= word_count(text) <= 20 or re.search(r"[.!?;,]$", text):
        return False
    first = text.lstrip("\"“‘'(")[:1]
    return first.isupper() or first.isdigit()


def is_title_cased(text: str) -> bool:
    """Most of the words that matter start with a capital (a heading, a header), or all in capitals."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.lower() not in _SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def is_all_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_contact(text: str) -> bool:
    """A line of e-mail addresses, web addresses and separators only."""
    rest = _URL.sub(" ", _EMAIL.sub(" ", text))
    return rest != text and not re.search(r"[^\W\d_]{3,}", re.sub(r"(?i)\b(?:e-?mail|web(?:site)?|tel)\b", "", rest))


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def starts_lower(text: str) -> bool:
    first = text.strip()[:1]
    return first.isalpha() and first.islower()


def title_case(text: str, acronyms: set[str]) -> str:
    """ "PARALLEL PROGRAMME FOR VICTIM ASSISTANCE EXPERTS" -> "Parallel Programme for Victim Assistance
    Experts"; words the document writes in capitals elsewhere (ICBL, CAP) stay so."""

    def word(match: re.Match[str]) -> str:
        token = match[0]
        if token in acronyms:
            return token
        lower = token.lower()
        if lower in _SMALL_WORDS and match.start() > 0:
            return lower
        return "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))

    return re.sub(r"[^\W\d_][\w'’-]*", word, text)


def acronyms_of(texts: list[str]) -> set[str]:
    """Words in capitals inside ordinary text: names to keep in capitals when a title is lowered."""
    found: set[str] = set()
    for text in texts:
        if not is_all_capitals(text):
            found.update(re.findall(r"\b[A-Z][A-Z0-9]{1,7}\b", text))
    return found


def looks_like_place(text: str) -> bool:
    return bool(re.search(
        r"\b(?:room|salle|hall|building|centre|center|hotel|palais|palace|avenue|street|road|rue|floor|auditorium"
        r"|campus|chamber|office|headquarters|venue|conference centre|geneva|new york|vienna|nairobi)\b",
        text, re.I,
    ))  # fmt: skip


# ------------------------------------------------------------------ kinds of agenda item

_KIND_WORDS = (
    ("break", re.compile(r"\b(?:lunch(?:eon)?|coffee|tea|break|side[- ]events?|reception|dinner|recess)\b(?![- ]?out)",
                         re.I)),
    ("closing", re.compile(r"\b(?:clos(?:e|ing|ure)|ends?|adjourn(?:s|ment)?|concluding|conclusion of)\b", re.I)),
    ("opening", re.compile(r"^\W*(?:official\s+)?(?:opening|welcome|welcoming)\b|\bopening (?:of|remarks|session)\b",
                           re.I)),
    ("exercise", re.compile(r"\b(?:exercise|simulation|role[- ]play|prioriti[sz]ation|mapping)\b", re.I)),
)


def guess_kind(title: str) -> tuple[str, str]:
    """The kind an item's title suggests, and the word that suggests it ("" for the default)."""
    for kind, pattern in _KIND_WORDS:
        found = pattern.search(title)
        if found and not (kind == "break" and re.search(r"\bbreak[- ]?out\b", title, re.I)):
            return kind, found[0].strip()
    return "discussion", ""


_ITEM_WORDS = re.compile(
    r"\b(?:exercise|discussion|session|panel|presentation|working group|group work|plenary|report(?:-back)?|break"
    r"|lunch|coffee|closing|opening|remarks|keynote|q&a|wrap-up|welcome|introduction|briefing|workshop|round ?table"
    r"|dialogue|launch|reception|side events?|visit|tour|adoption|conclusions|recommendations|evaluation|ends)\b",
    re.I,
)


def names_an_item(text: str) -> bool:
    """Whether a heading's words are those of an agenda item ("Participatory exercise ...", "Coffee break")."""
    return bool(_ITEM_WORDS.search(text))


# ------------------------------------------------------------------ ids

_STOP_WORDS = _SMALL_WORDS | {
    "is", "are", "be", "been", "being", "was", "were", "can", "could", "do", "does", "did", "done", "what", "which",
    "who", "whom", "whose", "how", "why", "when", "where", "will", "would", "should", "shall", "may", "might", "must",
    "this", "that", "these", "those", "there", "it", "its", "they", "their", "we", "our", "you", "your", "i", "has",
    "have", "had", "not", "no", "so", "than", "then", "such", "also", "all", "any", "each", "some", "very", "ensure",
    "make", "main", "about", "if", "up", "out", "over", "s", "t",
}  # fmt: skip


def id_words(text: str) -> list[str]:
    """The words an id is made of: ASCII, lower case, without the small words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", ascii_text)
    return [w for w in words if w not in _STOP_WORDS]
