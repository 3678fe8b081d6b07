"""DATE_OF_BIRTH: a date is reported only when the text says it is a birth date.

Formats: Korean `1985년 7월 2일(생)`, `1985. 7. 2.`, `85.07.02`, `85년생`; ISO `1985-07-02`
(also what an Excel date cell renders as); numeric `07/02/1985` (US month first, EU day first
when the first number is over 12) and `02.07.1985`; English month names (`2 July 1985`,
`July 2, 1985`); compact `19850702` / `850702` only as the value of a birth-date field.

A date is a birth date when it is followed by `생`, preceded by `born`, or when the nearest cue
before it on its line (a label such as `생년월일:` or a column header) is a birth cue rather than
another kind of date (`입국일`, `상담일`, `issued`…), or when it stands in brackets right after a
name (`이정옥 씨(54.02.15)`). Impossible dates and dates in the future
are dropped. Reference: the eval labelling rules (birth dates only; ages are not dates).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.korean.names import is_common_compound, looks_like_name
from pii_audit.detect.lines import before_on_line, squash
from pii_audit.detect.shared import LastText

_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"

# Named groups: y (2 or 4 digits), m, d, mon (English month name). Ordered: longest forms first.
_DATE_FORMS = [
    r"(?P<y>\d{4}|\d{2})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일",
    r"(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?:\s*\.(?!\d))?",
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>" + _MON + r"),?\s+(?P<y>\d{4})",
    r"(?P<mon>" + _MON + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})",
    r"(?P<a>\d{1,2})\s*[/.]\s*(?P<b>\d{1,2})\s*[/.]\s*(?P<y>\d{4})",
    r"(?P<y>\d{2})\s*[-.]\s*(?P<m>\d{1,2})\s*[-.]\s*(?P<d>\d{1,2})(?:\s*\.(?!\d))?",
    r"(?P<y>\d{2}|\d{4})\s*년(?=\s*생|[^가-힣0-9]|$)",
]
# `regex` allows one group name in several alternatives.
_DATE = regex.compile(
    r"(?<![\d.\-/])(?:" + "|".join(f"(?:{f})" for f in _DATE_FORMS) + r")(?![\d\-/])", regex.IGNORECASE
)
# `_DATE` without its two forms that hold an English month name: in a text where no month name's
# letters are (`_MONTH_HINT`, sought in the text lower-cased: `str.lower` maps every character that
# `regex`'s simple case folding matches to a letter of them onto it, but for `ſ`, which folds to
# `s`), those forms never match, and the others find the same dates in half the time.
_DATE_NUMERIC = regex.compile(
    r"(?<![\d.\-/])(?:" + "|".join(f"(?:{f})" for f in _DATE_FORMS if "(?P<mon>" not in f) + r")(?![\d\-/])",
    regex.IGNORECASE,
)
_MONTH_HINT = re.compile(r"(?=[adfjmnos])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
# `(?<![\d\-])(?P<c>\d{8}|\d{6})(?![\d\-])`, written to start with its first digit, whose lookbehind
# then reads the character before it: `re` skips to digits instead of trying the lookbehind at
# every character (half the time).
_COMPACT = re.compile(r"(?P<c>\d(?<![\d\-]\d)(?:\d{7}|\d{5}))(?![\d\-])")

BIRTH_CUES = (
    "생년월일",
    "생년",
    "생일",
    "출생",
    "태어",
    "탄생",
    "dob",
    "d.o.b",
    "dateofbirth",
    "birthdate",
    "birthday",
    "birth",
    "born",
    "b.",
)
OTHER_DATE_CUES = (
    "입국",
    "가입",
    "작성",
    "상담",
    "접수",
    "발급",
    "수료",
    "교육",
    "등록일",
    "날짜",
    "일자",
    "일시",
    "기간",
    "예정",
    "시행",
    "입원",
    "퇴원",
    "전입",
    "입소",
    "퇴소",
    "지급",
    "신청일",
    "계약",
    "만료",
    "갱신",
    "회의",
    "보도",
    "issued",
    "entry",
    "arrival",
    "signed",
    "expir",
    "joined",
    "meeting",
    "visit",
    "admitted",
    "created",
    "updated",
)
_BIRTH_SUFFIX = re.compile(r"\s*(?:생(?![활산성명])|출생|태생|에\s*태어)")
# `이정옥 씨(54.02.15)`, `양향(1993-10-05, 강원도 원산시 출신)`: a date in brackets right after a name.
_CLOSED_BY_HONORIFIC = re.compile(
    r"[^()\n]{0,60}\)\s*(?:씨|님|선생님)(?:께서|에게|[은는이가의께도와과을를])?(?![가-힣])"
)
_AFTER_NAME = re.compile(r"(?<![가-힣])(?P<word>[가-힣]{2,4})\s*(?P<hon>씨|님)?\s*\(\s*$")


# `Yasmin Al-Khatib (12/05/1984)`: a date alone in brackets right after an English name.
_AFTER_LATIN = regex.compile(r"(?P<name>\p{Lu}[\p{L}'’.\-]*(?:[ ]\p{Lu}[\p{L}'’.\-]*){1,3})[ ]?\($")


_CELL_GAP = regex.compile(r"\t|[ \t]{2,}|[,|]")
_BORN_BEFORE = re.compile(r"\bborn\s*(?:on|in)?\s*(?:the\s+)?$", re.IGNORECASE)


def _born_before(head: str) -> bool:
    """`head` ends with `born` (`born on the`, …): searched only where the word is at all."""
    return "born" in head.lower() and _BORN_BEFORE.search(head) is not None


def _bracket_before(text: str, start: int) -> bool:
    """An opening bracket before `start`, but for spaces: what `_AFTER_NAME` and `_AFTER_LATIN` end with.
    (`str.isspace` holds for everything `\\s` matches; a newline may stand before the end, as `$` allows.)"""
    pos = start - 1
    while pos >= 0 and text[pos].isspace():
        pos -= 1
    return pos >= 0 and text[pos] == "("


def _latin_name_before(text: str, start: int) -> bool:
    from pii_audit.detect.english_people import is_name

    m = _AFTER_LATIN.search(text, max(0, start - 60), start)
    return bool(m and text.startswith(")", _date_end(text, start)) and is_name(m["name"]))


def _date_end(text: str, start: int) -> int:
    m = _DATE.match(text, start)
    return m.end() if m else start


def _year(raw: str) -> int:
    y = int(raw)
    if y >= 100:
        return y
    this = dt.date.today().year % 100
    return 2000 + y if y <= this else 1900 + y


def parse_date(m: regex.Match[str] | re.Match[str]) -> dt.date | None:
    g = {k: v for k, v in m.groupdict().items() if v}
    try:
        if "c" in g:
            return _compact_date(g["c"])
        year = _year(g["y"])
        if "mon" in g:
            return dt.date(year, _MONTHS[g["mon"][:3].lower()], int(g["d"]))
        if "a" in g:
            a, b = int(g["a"]), int(g["b"])
            month, day = (b, a) if a > 12 else (a, b)
            return dt.date(year, month, day)
        if set(g) == {"y"}:  # `85년생`: a birth year
            return dt.date(year, 1, 1)
        return dt.date(year, int(g["m"]), int(g["d"]))
    except (ValueError, KeyError):
        return None


def _compact_date(c: str) -> dt.date | None:
    """The date of a compact `19850702` / `850702`."""
    try:
        y, mo, d = (int(c[:4]), int(c[4:6]), int(c[6:])) if len(c) == 8 else (_year(c[:2]), int(c[2:4]), int(c[4:]))
        return dt.date(y, mo, d)
    except ValueError:
        return None


# The groups of `_DATE`, the year first: `_date_of` takes them in this order.
_GROUPS = ("y", "m", "d", "mon", "a", "b")
_NUMERIC_GROUPS = ("y", "m", "d", "a", "b")  # `_DATE_NUMERIC`'s


def _date_of(
    y: str | None, m: str | None, d: str | None, mon: str | None, a: str | None, b: str | None
) -> dt.date | None:
    """`parse_date` of a `_DATE` match, from its groups (one `group` call, no dict per match)."""
    if not y:
        return None
    try:
        year = _year(y)
        if mon:
            return dt.date(year, _MONTHS[mon[:3].lower()], int(d or ""))
        if a:
            first, second = int(a), int(b or "")
            month, day = (second, first) if first > 12 else (first, second)
            return dt.date(year, month, day)
        if not (m or d or b):  # `85년생`: a birth year
            return dt.date(year, 1, 1)
        return dt.date(year, int(m or ""), int(d or ""))
    except (ValueError, KeyError):
        return None


# Every cue, to find where the last one starts in one pass (`overlapped`: a match at each position
# where some cue starts, so the last match is the last start), then which kinds start there.
_ANY_CUE = regex.compile("|".join(regex.escape(c) for c in (*BIRTH_CUES, *OTHER_DATE_CUES)))
_BIRTH_CUE = regex.compile("|".join(regex.escape(c) for c in BIRTH_CUES))


def birth_cue(before: str) -> bool | None:
    """True when the nearest date cue before a date is a birth cue, False when it names another
    kind of date, None when there is no cue. The nearest cue is the one starting last; when a birth
    cue and another cue start at the same place, the birth cue wins."""
    low = squash(before)
    starts = [m.start() for m in _ANY_CUE.finditer(low, overlapped=True)]
    if not starts:
        return None
    return _BIRTH_CUE.match(low, starts[-1]) is not None


# `birth_cue` of the few words before a date, kept per text (bounded): a column's label repeats row
# after row (`생년월일: `).
_cue_near = lru_cache(maxsize=1024)(birth_cue)


class BirthDateRecognizer(EntityRecognizer):
    name: str

    def __init__(self, supported_language: str = "ko") -> None:
        super().__init__(
            supported_entities=["DATE_OF_BIRTH"],
            supported_language=supported_language,
            name=f"BirthDateRecognizer_{supported_language}",
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        today = dt.date.today()
        # The `ko` and `en` instances find the same dates in a mixed-script chunk: see shared.py.
        found = _FOUND.get(today, text, lambda: _find(text, today))
        return [self._result(start, end, score) for start, end, score in found]

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type="DATE_OF_BIRTH",
            start=start,
            end=end,
            score=score,
            recognition_metadata={"recognizer_name": self.name},
        )


_FOUND: LastText[tuple[tuple[int, int, float], ...]] = LastText()


def _find(text: str, today: dt.date) -> tuple[tuple[int, int, float], ...]:
    """(start, end, score) of every birth date in `text`."""
    if not any(ch.isdigit() for ch in text):
        return ()
    results: list[tuple[int, int, float]] = []
    taken: list[tuple[int, int]] = []
    numeric = "ſ" not in text and not _MONTH_HINT.search(text.lower())
    for m in list((_DATE_NUMERIC if numeric else _DATE).finditer(text, timeout=1.0)):
        if numeric:
            y, mo, d, a, b = m.group(*_NUMERIC_GROUPS)
            groups = (y, mo, d, None, a, b)
        else:
            groups = m.group(*_GROUPS)
        date = _date_of(*groups)
        if date is None or not (date.year >= 1900 and date <= today):
            continue
        start, end = m.start(), m.end()
        after = text[end : end + 3]
        birth_year_only = not any(groups[1:])
        # A name before the date needs a bracket right before it (`양향(1993-10-05`): most dates have none.
        bracketed = _bracket_before(text, start)
        named = _AFTER_NAME.search(text[max(0, start - 12) : start]) if bracketed else None
        if (
            named
            and looks_like_name(named.group("word"))
            and (
                named.group("hon")
                or _CLOSED_BY_HONORIFIC.match(text, end)
                or not is_common_compound(named.group("word"))
            )
        ) or (bracketed and _latin_name_before(text, start)):
            score = 0.8
        elif _BIRTH_SUFFIX.match(after) or _born_before(text[max(0, start - 16) : start]):
            score = 0.9
        elif birth_year_only:
            # `생년월일은 87년`: a bare year is a birth date only right after a birth cue.
            if not _cue_near(before_on_line(text, start, 15)):
                continue
            score = 0.75
        else:
            cue = _cue_near(before_on_line(text, start, 40))
            if cue is None and _table_cell(text, start, end):
                cue = _header_above(text, start)
                if cue is None and _roster_birth(text, start, end, date, today):
                    results.append((start, end, 0.6))
                    taken.append((start, end))
                    continue
            if not cue:
                continue
            score = 0.85
        results.append((start, end, score))
        taken.append((start, end))
    for m in _COMPACT.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        date = _compact_date(m.group("c"))
        if date is None or not (date.year >= 1900 and date <= today):
            continue
        head = before_on_line(text, m.start(), 20)
        if _cue_near(head) and head.rstrip().endswith((":", "：")):
            results.append((m.start(), m.end(), 0.75))
        elif _BIRTH_SUFFIX.match(text, m.end()):  # `850702생`
            results.append((m.start(), m.end(), 0.8))
    return tuple(results)


# A cell of an aligned or delimited table: tabs, commas, pipes or wide gaps around it.
_CELL_BEFORE = regex.compile(r"(?:^[ \t]*|[\t,;|][ \t]*|[ \t]{2,})$", regex.MULTILINE)
_CELL_AFTER = regex.compile(r"[ \t]*(?:$|[\t,;|])|[ \t]{2,}", regex.MULTILINE)
_PHONE_OR_ID = regex.compile(r"(?<!\d)(?:01[016789][-. ]?\d{3,4}[-. ]?\d{4}|\d{6}[ \t]?-[ \t]?\d{7})(?!\d)")
_NAME_CELL = regex.compile(r"(?:^|[\t,;|]|[ \t]{2,})[ \t]*[가-힣]{2,4}[ \t]*(?:$|[\t,;|]|[ \t]{2,})", regex.MULTILINE)


def _table_cell(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return (
        _CELL_BEFORE.search(text, max(line_start, start - 40), start) is not None
        and _CELL_AFTER.match(text, end) is not None
    )


def _header_above(text: str, start: int) -> bool | None:
    """The birth cue of an aligned table's header line (`연번  성명  생년월일  주소`) above a date cell:
    the nearest non-empty line above, within the paragraph, that names columns."""
    line_start = text.rfind("\n", 0, start) + 1
    pos = line_start - 1
    for _ in range(12):
        if pos <= 0:
            return None
        prev_start = text.rfind("\n", 0, pos) + 1
        line = text[prev_start:pos]
        if not line.strip():
            return None
        if not any(ch.isdigit() for ch in line) and len(_CELL_GAP.split(line.strip())) >= 2:
            return birth_cue(line)
        pos = prev_start - 1
    return None


def _record_bounds(text: str, start: int) -> tuple[int, int]:
    """The row a date cell belongs to: its line, or its paragraph when the row is rendered one cell
    per line (a headerless sheet's row)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:line_end].strip() != text[start:line_end].strip() or line_start == 0 and line_end == len(text):
        return line_start, line_end
    para_start = text.rfind("\n\n", 0, start)
    para_end = text.find("\n\n", start)
    return (0 if para_start < 0 else para_start + 2), (len(text) if para_end < 0 else para_end)


def _roster_birth(text: str, start: int, end: int, date: dt.date, today: dt.date) -> bool:
    """A date cell of a headerless roster row: the row also holds a name cell and a phone number or
    ID, no other date and no word naming another kind of date, and the date is an adult's or a
    child's birth date (1 to 100 years ago)."""
    if not _table_cell(text, start, end) or not (1 <= today.year - date.year <= 100):
        return False
    lo, hi = _record_bounds(text, start)
    row = text[lo:hi]
    if birth_cue(row) is False or _PHONE_OR_ID.search(row) is None:
        return False
    names = [m.group().strip(" \t,;|") for m in _NAME_CELL.finditer(row)]
    if not any(looks_like_name(n) and not is_common_compound(n) for n in names):
        return False
    dates = [m for m in _DATE.finditer(row, timeout=1.0) if parse_date(m) is not None]
    return len(dates) == 1
