"""Small helpers for looking at the text around a match: its line and the label before it."""

from __future__ import annotations

import re

_LABEL_SPLIT = re.compile(r"[|/,;()\[\]<>·•■□▶▪※]")


def line_bounds(text: str, start: int) -> tuple[int, int]:
    """Start and end offsets of the line holding `start`."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return line_start, len(text) if line_end < 0 else line_end


# A sentence ends at `.`, `!` or `?` right after a letter (not a digit: `2025. 4. 6.` is one date),
# followed by white space.
_SENTENCE_END = re.compile(r"(?<=[^\W\d_][.!?])\s+")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end offsets of the sentence holding `text[start:end]` with the sentence before and
    the sentence after it, within its line."""
    line_start, line_end = line_bounds(text, start)
    ends = list(_SENTENCE_END.finditer(text, line_start, start))
    first = ends[-2].end() if len(ends) >= 2 else line_start
    after = _SENTENCE_END.search(text, end, line_end)
    if after is not None:
        after = _SENTENCE_END.search(text, after.end(), line_end)
    return first, after.start() if after else line_end


def before_on_line(text: str, start: int, limit: int = 60) -> str:
    """Text on the same line before `start`, at most `limit` characters. Only those `limit`
    characters are searched for the line break: a long line is not scanned to either end."""
    window = max(0, start - limit)
    line_break = text.rfind("\n", window, start)
    return text[line_break + 1 if line_break >= 0 else window : start]


def label_before(text: str, start: int) -> str | None:
    """The `label` of a `label: value` pair whose value begins at or just before `start`.

    Only the characters between the colon and `start` may be blank, so `성명: 홍길동` gives `성명` but
    `성명: 홍길동, 보호자 김영희` gives nothing for the second name (its nearest colon is not its own).
    """
    head = before_on_line(text, start, 80)
    colon = max(head.rfind(":"), head.rfind("："))
    if colon < 0 or head[colon + 1 :].strip():
        return None
    label = _LABEL_SPLIT.split(head[:colon])[-1].strip()
    return label or None


def squash(s: str) -> str:
    """Lower-case without spaces, for matching labels like `성 명` or `Date of Birth`. (`str.split`
    drops what `\\s` matches, the same characters: `str.isspace`, in a third of the time.)"""
    return "".join(s.split()).casefold()
