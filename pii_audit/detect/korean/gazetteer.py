"""Place-name gazetteers for the ADDRESS recognizer.

South Korean 시·도 → 시·군·구 (``patterns/gazetteer/kr_districts.yaml``) and North Korean
도·직할시 → 시·군·구역 (``patterns/gazetteer/kp_districts.yaml``). The YAML files are data, not code:
a new district is a one-line edit there. ``trie_pattern`` turns a word list into one regular
expression whose alternation is a prefix tree, so matching cost does not grow with the list.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml

from pii_audit.resources import GAZETTEER, read_yaml

DEFAULT_DIR = GAZETTEER

#: What a space inside a gazetteer name (``수원시 장안구``) matches in text.
SPACE = r"[ \t\u00a0\u3000]+"


class GazetteerError(ValueError):
    """A gazetteer file is missing or malformed."""


@dataclass(frozen=True)
class Division:
    """A top-level division (시·도, or a North Korean 도/직할시) and what lies under it."""

    name: str
    aliases: tuple[str, ...]
    #: Every district as written after the division: ``수원시``, ``수원시 장안구``, ``강남구``.
    districts: tuple[str, ...]
    #: 일반구 names alone (``장안구``), for text that drops the 시.
    subdistricts: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    en_districts: tuple[str, ...] = ()
    ambiguous_with_south: bool = False


@dataclass(frozen=True)
class Gazetteer:
    south: tuple[Division, ...]
    north: tuple[Division, ...]

    def south_aliases(self) -> set[str]:
        return {a for d in self.south for a in d.aliases}

    def south_districts(self) -> set[str]:
        return {x for d in self.south for x in (*d.districts, *d.subdistricts)}

    def north_aliases(self) -> set[str]:
        return {a for d in self.north for a in d.aliases}

    def north_districts(self) -> set[str]:
        return {x for d in self.north for x in (*d.districts, *d.subdistricts)}

    def north_division(self, alias: str) -> Division | None:
        return next((d for d in self.north if alias in d.aliases), None)


def _division(name: str, raw: dict[str, Any]) -> Division:
    districts: list[str] = []
    subs: list[str] = []
    for item in raw.get("districts") or []:
        if isinstance(item, str):
            districts.append(item)
        elif isinstance(item, dict) and len(item) == 1:
            ((city, gus),) = item.items()
            districts.append(str(city))
            for gu in gus or []:
                districts.append(f"{city} {gu}")
                subs.append(str(gu))
        else:
            raise GazetteerError(f"{name}: bad district entry {item!r}")
    return Division(
        name=name,
        aliases=tuple(raw.get("aliases") or [name]),
        districts=tuple(dict.fromkeys(districts)),
        subdistricts=tuple(dict.fromkeys(subs)),
        en=tuple(raw.get("en") or ()),
        en_districts=tuple(raw.get("en_districts") or ()),
        ambiguous_with_south=bool(raw.get("ambiguous_with_south", False)),
    )


def _read(path: Path) -> tuple[Division, ...]:
    try:
        data = read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"cannot read gazetteer {path.name}: {exc}") from exc
    provinces = (data or {}).get("provinces")
    if not isinstance(provinces, dict):
        raise GazetteerError(f"{path.name}: no 'provinces' mapping")
    return tuple(_division(str(k), v or {}) for k, v in provinces.items())


@functools.lru_cache(maxsize=4)
def load_gazetteer(directory: Path | None = None) -> Gazetteer:
    """Read both gazetteers once per process (per directory)."""
    base = directory or DEFAULT_DIR
    return Gazetteer(south=_read(base / "kr_districts.yaml"), north=_read(base / "kp_districts.yaml"))


def trie_pattern(words: Iterable[str], *, ignore_case: bool = False, any_space: bool = True) -> str:
    """One non-capturing regex matching any of ``words``, longest alternative first.

    A prefix tree keeps the alternation linear in the text; a space in a word matches any run of
    spaces (with ``any_space=False``, exactly the words as written: the same matches as `a|b|…`
    with longer words first). ``ignore_case`` only folds the trie keys (the caller still sets the flag).
    """
    root: dict[str, Any] = {}
    for word in words:
        if any_space:
            word = " ".join(word.split())
        if ignore_case:
            word = word.casefold()
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(root, SPACE if any_space else regex.escape(" ")) if root else r"(?!)"


def _emit(node: dict[str, Any], space: str) -> str:
    # Siblings start with different characters, so their order never changes a match; sorted, the
    # pattern is the same in every process (sets iterate in a per-process order), as its compiled
    # program kept between runs needs (detect/compiled_patterns.py).
    alts = [
        (space if ch == " " else regex.escape(ch)) + _emit(child, space) for ch, child in sorted(node.items()) if ch
    ]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body
