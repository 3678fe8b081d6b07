"""Labels in the devset ``truth.json`` format."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pii_synth.persons import KoreanPerson

TYPES = (
    "PERSON",
    "DATE_OF_BIRTH",
    "ADDRESS",
    "KR_RRN",
    "KR_FRN",
    "KR_PASSPORT",
    "KR_DRIVER_LICENSE",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
)


@dataclass
class LabelledFile:
    """Labels of one document: each (type, value) once, plus the set of exposed persons."""

    path: str
    negative: bool = False
    entities: list[dict[str, str]] = field(default_factory=list)
    exposed: set[str] = field(default_factory=set)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, etype: str, value: str | None, tag: str | None = None) -> str | None:
        """Label ``value`` (as it appears in the text); returns it so callers can inline the call."""
        if value is None or value == "":
            return value
        if etype not in TYPES:
            raise ValueError(f"unknown entity type {etype}")
        if self.negative:
            raise ValueError(f"{self.path}: a negative file carries no labels")
        key = (etype, value)
        if key not in self._seen:
            self._seen.add(key)
            ent = {"type": etype, "value": value}
            if tag:
                ent["tag"] = tag
            self.entities.append(ent)
        return value

    def rrn(self, person: KoreanPerson) -> str:
        self.add("KR_RRN", person.rrn, "post2020" if person.rrn_post2020 else None)
        return person.rrn

    def expose(self, key: str) -> None:
        """Mark a person whose record here ties name/birth date/ID to a residential address."""
        self.exposed.add(key)

    def truth(self) -> dict[str, object]:
        return {"exposure": len(self.exposed), "negative": self.negative, "entities": self.entities}


def write_truth(outdir: Path, files: list[LabelledFile]) -> Path:
    data = {"files": {f.path: f.truth() for f in sorted(files, key=lambda f: f.path)}}
    path = outdir / "truth.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
