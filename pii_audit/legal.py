"""Categories of the Personal Information Protection Act (개인정보 보호법) per finding and per file.

`unique_identifier` (고유식별정보: resident registration, passport, driver licence and foreigner
registration numbers) must be stored encrypted; `sensitive` (민감정보: health, criminal records…)
may be processed only with separate consent or a legal basis; `personal` (일반 개인정보) is the
rest. A file in a sensitive context (health, criminal record, defector status…) makes its personal
findings `sensitive`. The mapping and its articles live in `patterns/legal/pipa.yaml`; `pipa.json`
beside it is a mirror that spares every run the YAML parser's import (`python -m pii_audit.legal`
rewrites it after an edit; until then the YAML is parsed).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pii_audit.resources import PIPA, read_yaml

PIPA_MIRROR = PIPA.with_suffix(".json")

UNIQUE_IDENTIFIER, SENSITIVE, PERSONAL = "unique_identifier", "sensitive", "personal"
CATEGORIES = (UNIQUE_IDENTIFIER, SENSITIVE, PERSONAL)  # strictest first


@dataclass(frozen=True)
class Basis:
    """An article (`law` is the Act or its enforcement decree) or, with no article, the tool's policy."""

    law: str | None
    article: str | None
    title: str | None = None
    applies_to: tuple[str, ...] = ()

    def cite(self, laws: Mapping[str, str]) -> str:
        """`개인정보 보호법 제24조제3항` (the law's name as the Act writes it)."""
        return f"{laws.get(self.law or '', self.law or '')} {self.article or ''}".strip()


@dataclass(frozen=True)
class Mapping_:
    """The data file, read once."""

    laws: Mapping[str, str]  # act/decree -> name
    sources: Mapping[str, str]  # act/decree -> URL
    entities: Mapping[str, str]  # entity type -> category
    contexts: Mapping[str, str]  # sensitive-context category -> category
    duties: Mapping[str, tuple[Basis, ...]]  # category -> the articles of its duty
    raw: Mapping[str, Any]


def _basis(entries: Iterable[Mapping[str, Any]]) -> tuple[Basis, ...]:
    return tuple(
        Basis(e.get("law"), e.get("article"), e.get("title"), tuple(e.get("applies_to") or ())) for e in entries
    )


def _digest() -> str:
    return hashlib.sha256(PIPA.read_bytes()).hexdigest()


def _raw() -> Any:
    """pipa.yaml's content: from its JSON mirror when that was made from these very bytes (a warm
    rescan reads this, and importing PyYAML is ~10 ms of it), else parsed."""
    try:
        mirror = json.loads(PIPA_MIRROR.read_text(encoding="utf-8"))
        if mirror.get("source_sha256") == _digest():
            return mirror["data"]
    except (OSError, ValueError, AttributeError):
        pass
    return read_yaml(PIPA)


def write_mirror() -> None:
    """Rewrite pipa.json from pipa.yaml."""
    mirror = {"source_sha256": _digest(), "data": read_yaml(PIPA)}
    PIPA_MIRROR.write_text(json.dumps(mirror, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@functools.cache
def mapping() -> Mapping_:
    raw = _raw()
    laws = {k: v["name"] for k, v in raw["laws"].items()}
    return Mapping_(
        laws=laws,
        sources={k: v["source"] for k, v in raw["laws"].items()},
        entities={k: v["category"] for k, v in raw["entities"].items()},
        contexts={k: v["category"] for k, v in raw["contexts"].items()},
        duties={k: _basis(v.get("duty_basis") or ()) for k, v in raw["categories"].items()},
        raw=raw,
    )


def is_sensitive_context(contexts: Iterable[str]) -> bool:
    """Whether any of a file's sensitive-context categories makes it `sensitive`."""
    table = mapping().contexts
    return any(table.get(c) == SENSITIVE for c in contexts)


def entity_category(entity_type: str) -> str:
    return mapping().entities.get(entity_type, PERSONAL)


def finding_category(entity_type: str, sensitive_file: bool) -> str:
    """A finding's category: its type's, but `personal` becomes `sensitive` in a sensitive file."""
    category = entity_category(entity_type)
    return SENSITIVE if sensitive_file and category == PERSONAL else category


def file_categories(entity_types: Iterable[str], contexts: Iterable[str]) -> tuple[str, ...]:
    """The categories a file holds, strictest first: those of its findings, and `sensitive` for a
    file in a sensitive context that holds personal data at all."""
    types = list(entity_types)
    sensitive_file = is_sensitive_context(contexts)
    found = {finding_category(t, sensitive_file) for t in types}
    if sensitive_file and types:
        found.add(SENSITIVE)
    return tuple(c for c in CATEGORIES if c in found)


def duty_articles(category: str, entity_types: Iterable[str] = ()) -> str:
    """The articles of a category's duty as a privacy officer cites them (`개인정보 보호법 제24조제3항, …`):
    an article that applies to some types only is cited when the file holds one of them."""
    types = set(entity_types)
    m = mapping()
    cited = [b for b in m.duties.get(category, ()) if b.article and (not b.applies_to or types & set(b.applies_to))]
    parts: list[str] = []
    law = None
    for b in cited:  # the law's name once: 개인정보 보호법 제24조제3항, 제24조의2제2항
        parts.append(str(b.article) if b.law == law else b.cite(m.laws))
        law = b.law
    return ", ".join(parts)


if __name__ == "__main__":
    write_mirror()
