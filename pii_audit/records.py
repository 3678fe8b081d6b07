"""Findings -> person records.

A table row is one record. In prose and key:value forms, a name opens a record and the birth
date, address, IDs and contacts that follow it in the same block belong to it, until the next
name; values before any name form a record of their own (a form that starts with an ID).
Persons are told apart by keyed fingerprints: an RRN/FRN (one RRN in 10,000 rows is one person),
else the name with the birth date when there is one, else the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from pii_audit.fingerprint import combine
from pii_audit.model import PersonRecord, type_set

ID_TYPES = ("KR_RRN", "KR_FRN", "KR_PASSPORT", "KR_DRIVER_LICENSE", "US_SSN")
# The only types whose fingerprints a record reads (`_record`): the others' may be left empty in a
# Linked when nothing else needs them (a finding that is counted, not listed).
KEYED_TYPES = frozenset({"PERSON", "DATE_OF_BIRTH", *ID_TYPES})


class Linked(NamedTuple):
    """A finding as the linker sees it: which block it is in and where (a tuple: one per finding
    of a million-row sheet is made)."""

    block: int
    row: bool
    start: int
    entity_type: str
    fingerprint: str
    north_korean: bool = False


def _record(key: bytes, items: list[Linked]) -> PersonRecord:
    """One pass over the items (a row's record is built for every row of a sheet)."""
    types: set[str] = set()
    hometown = False
    ids: list[str] = []  # RRN/FRN
    names: list[str] = []
    births: list[str] = []
    other_ids: list[str] = []  # any of ID_TYPES
    for i in items:
        kind = i.entity_type
        if kind == "ADDRESS" and i.north_korean:
            hometown = True
        else:
            types.add(kind)
        if kind == "PERSON":
            names.append(i.fingerprint)
        elif kind == "DATE_OF_BIRTH":
            births.append(i.fingerprint)
        elif kind in ID_TYPES:
            other_ids.append(i.fingerprint)
            if kind in ("KR_RRN", "KR_FRN"):
                ids.append(i.fingerprint)
    if hometown:
        types.add("NK_HOMETOWN")
    person_key: str | None = None
    if ids:
        person_key = min(ids)
    elif names:
        person_key = combine(key, names[0], births[0]) if births else names[0]
    elif other_ids:
        person_key = min(other_ids)
    return PersonRecord(entity_types=type_set(types), key=person_key)


def row_record(key: bytes, items: list[Linked]) -> PersonRecord | None:
    """`link` for the findings of one table row (one block, `row` set): its record, if it has types."""
    record = _record(key, sorted(items, key=lambda i: i.start))
    return record if record.entity_types else None


def link(key: bytes, findings: Iterable[Linked]) -> tuple[PersonRecord, ...]:
    by_block: dict[int, list[Linked]] = {}
    for f in findings:
        by_block.setdefault(f.block, []).append(f)
    records: list[PersonRecord] = []
    for block in sorted(by_block):
        items = sorted(by_block[block], key=lambda i: i.start)
        if items[0].row:
            records.append(_record(key, items))
            continue
        current: list[Linked] = []
        for item in items:
            if item.entity_type == "PERSON" and any(c.entity_type == "PERSON" for c in current):
                records.append(_record(key, current))
                current = []
            current.append(item)
        if current:
            records.append(_record(key, current))
    return tuple(r for r in records if r.entity_types)
