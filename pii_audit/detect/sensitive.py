"""Sensitive-context categories: words near personal data that make its exposure worse.
Only the category names leave the worker, never the matched text."""

from __future__ import annotations

import re

from pii_audit.detect.lines import squash

CATEGORIES: dict[str, tuple[str, ...]] = {
    "defector": (
        "북한이탈주민",
        "탈북",
        "새터민",
        "하나원",
        "하나센터",
        "북한이탈",
        "defector",
        "northkorean refugee",
        "탈북민",
        "북향민",
    ),
    "refugee": ("난민", "refugee", "asylum", "망명"),
    "health": ("진단", "질환", "정신과", "우울증", "치료", "장애등급", "병력", "diagnosis", "hiv", "psychiatric"),
    "criminal": ("전과", "범죄경력", "수감", "형사처벌", "criminal record", "conviction", "교도소"),
}
LABELS = {
    "defector": "defector context",
    "refugee": "refugee context",
    "health": "health context",
    "criminal": "criminal-record context",
}


# The words as they are compared: squashed once here, not for every segment.
_SQUASHED: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (name, tuple(squash(w) for w in words)) for name, words in CATEGORIES.items()
)


# Any word of any category: most segments hold none, and one search tells.
_ANY_WORD = re.compile("|".join(re.escape(w) for _, words in _SQUASHED for w in words))


def categories_in(text: str) -> set[str]:
    low = squash(text)
    if _ANY_WORD.search(low) is None:
        return set()
    return {name for name, words in _SQUASHED if any(w in low for w in words)}
