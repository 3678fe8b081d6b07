"""The exposure model (DESIGN.md): how badly a file exposes people, as a score, a severity and
reasons in words.

The unit of harm is an exposed person: a record that ties a name, birth date or ID to a
residential address. Identity-complete persons (name or ID + birth date + address) weigh double.
The score grows with the log of that weight (one person is not a thousand), with unique
identifiers under Korean law, with sensitive context and with reach, and falls for encrypted
files. Phones, e-mails and hometowns add weight but never make a file `high` on their own.
Who can read the file and how long it has lain untouched (reach.py) move the score and severity,
but never the people-first rank.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pii_audit import legal, reach
from pii_audit import reasons as R
from pii_audit.model import FileExposure, FileResult, FolderExposure, PersonRecord, Reason, severity_rank
from pii_audit.packed import PackedRecords

UNIQUE_IDS = ("KR_RRN", "KR_FRN", "KR_PASSPORT", "KR_DRIVER_LICENSE")


@dataclass(frozen=True)
class Weights:
    exposed_base: float = 45.0
    exposed_per_decade: float = 15.0  # points per 10x more exposed people
    complete_share: float = 10.0  # points when every exposed person is identity-complete
    unexposed_max: float = 30.0  # names/contacts/hometowns without an address stay below `high`
    unique_id: float = 8.0
    unique_id_alone_base: float = 30.0
    sensitive_context: float = 10.0
    world_readable: float = 10.0  # audience `everyone` (reach.py)
    organisation_readable: float = 5.0  # audience `organisation`
    owner_only_discount: float = 0.0  # taken off for audience `owner-only` (`unknown` adds nothing)
    stale: float = 5.0  # not modified for `stale_years`
    stale_years: float = 3.0  # 0: never stale
    encrypted_factor: float = 0.3


BANDS = (("critical", 75.0), ("high", 55.0), ("medium", 30.0), ("low", 0.01))


def severity_of(score: float) -> str:
    for name, floor in BANDS:
        if score >= floor:
            return name
    return "none"


@functools.cache
def _flags(types: frozenset[str]) -> tuple[bool, bool, bool, bool, tuple[str, ...]]:
    """(person, exposed, identity-complete, NK hometown, unique IDs) for a record's entity types:
    computed once per combination, since records share a handful of them."""
    record = PersonRecord(types, None)
    person = record.has_identity or record.has_birth
    return (
        person,
        record.exposed,
        record.identity_complete,
        "NK_HOMETOWN" in types,
        tuple(t for t in UNIQUE_IDS if t in types),
    )


def run_people(results: Iterable[FileResult]) -> tuple[int, int]:
    """(distinct persons, distinct exposed persons) over every file of a run."""
    return _count_people(_key_groups(r.records) for r in results)


def assess_run(
    results: Sequence[FileResult], weights: Weights = Weights(), now: float | None = None
) -> tuple[list[FileExposure], tuple[int, int]]:
    """`assess` of every result, and `run_people` of them all, grouping each file's records once."""
    groups = [_key_groups(r.records) for r in results]
    return [_assess(r, g, weights, now) for r, g in zip(results, groups, strict=True)], _count_people(groups)


_Groups = list[tuple[frozenset[str], "_Chunk"]]


def _count_people(files: Iterable[_Groups]) -> tuple[int, int]:
    people, exposed = _People(), _People()
    for groups in files:
        for types, chunk in groups:
            person, is_exposed, _, _, _ = _flags(types)
            if person:
                people.add(chunk)
                if is_exposed:
                    exposed.add(chunk)
    return len(people), len(exposed)


# Packed records of at least this many are counted with numpy (sorting 64-bit keys) rather than
# Python sets of strings: a 10-million-row CSV would need gigabytes of key strings.
_NUMPY_MIN = 50_000


@dataclass(frozen=True)
class _Chunk:
    """The keys of a group of records: strings (plain records) or the first 64 bits of packed keys
    (a numpy array); `anonymous` records have no key; `n` records in all."""

    n: int
    anonymous: int
    strs: tuple[str, ...] = ()
    ints: Any = None


def _key_groups(records: Sequence[PersonRecord]) -> _Groups:
    """Records grouped by their entity types, with their keys."""
    if isinstance(records, PackedRecords) and len(records) >= _NUMPY_MIN:
        import numpy as np

        kinds = np.frombuffer(records.kinds, dtype=np.uint16)
        wide = np.frombuffer(records.keys, dtype=np.dtype([("hi", ">u8"), ("lo", ">u4")]))
        has_key = (wide["hi"] != 0) | (wide["lo"] != 0)
        out: _Groups = []
        for index, types in enumerate(records.types):
            of_kind = kinds == index
            chunk = _Chunk(
                n=int(of_kind.sum()), anonymous=int((of_kind & ~has_key).sum()), ints=wide["hi"][of_kind & has_key]
            )
            out.append((types, chunk))
        return out
    if isinstance(records, PackedRecords):  # straight from the packed bytes: no record objects
        hexes = records.keys.hex()
        keys = [hexes[i : i + 24] for i in range(0, len(hexes), 24)]
        packed: dict[frozenset[str], list[str]] = {}
        lists = [packed.setdefault(t, []) for t in records.types]
        if len(lists) == 1:
            lists[0].extend(keys)
        else:
            appends = [group.append for group in lists]
            for kind, key in zip(records.kinds, keys, strict=False):
                appends[kind](key)
        out = []
        for types, group in packed.items():
            anonymous = group.count(_NO_KEY_HEX)
            strs = tuple(k for k in group if k != _NO_KEY_HEX) if anonymous else tuple(group)
            out.append((types, _Chunk(n=len(group), anonymous=anonymous, strs=strs)))
        return out
    grouped: dict[frozenset[str], list[str | None]] = {}
    for r in records:
        grouped.setdefault(r.entity_types, []).append(r.key)
    out = []
    for types, plain in grouped.items():
        strs = tuple(k for k in plain if k)
        out.append((types, _Chunk(n=len(plain), anonymous=len(plain) - len(strs), strs=strs)))
    return out


class _People:
    """People among records: one per keyed fingerprint, and one per record that has no key."""

    __slots__ = ("strs", "arrays", "anonymous")

    def __init__(self) -> None:
        self.strs: set[str] = set()
        self.arrays: list[Any] = []
        self.anonymous = 0

    def add(self, chunk: _Chunk) -> None:
        self.strs.update(chunk.strs)
        if chunk.ints is not None and len(chunk.ints):
            self.arrays.append(chunk.ints)
        self.anonymous += chunk.anonymous

    def __len__(self) -> int:
        if not self.arrays:
            return len(self.strs) + self.anonymous
        import numpy as np

        # A packed key is the first 64 bits of a 24-hex-digit fingerprint; plain keys of that
        # form are compared the same way, others cannot be packed keys.
        fingerprints = [int(k[:16], 16) for k in self.strs if len(k) == 24 and _HEX.fullmatch(k)]
        others = len(self.strs) - len(fingerprints)
        ints = np.concatenate([*self.arrays, np.array(fingerprints, dtype=np.uint64)])
        return _distinct(ints) + others + self.anonymous


def _distinct(values: Any) -> int:
    """How many distinct values a 1-d numpy array holds, counted on a sorted copy. Not `np.unique`:
    from numpy 2.3 it hashes, and on the 13.4 million keys of the 1 GB roster it took 18.7 s
    against the sort's 0.45 s (five counts per run: most of the parent's 100 s and 1 GB after
    the workers had finished)."""
    import numpy as np

    if not values.size:
        return 0
    ordered = np.sort(values)
    return 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1]))


_HEX = re.compile(r"[0-9a-f]+")
_NO_KEY_HEX = "0" * 24


def assess(result: FileResult, weights: Weights = Weights(), now: float | None = None) -> FileExposure:
    """`now` (epoch seconds; default the current time) is what staleness is measured against."""
    return _assess(result, _key_groups(result.records), weights, now)


def _assess(result: FileResult, groups: _Groups, weights: Weights, now: float | None) -> FileExposure:
    records = result.records
    people, exposed, complete = _People(), _People(), _People()
    ids = {t: _People() for t in UNIQUE_IDS}
    others = hometowns = 0
    for types, chunk in groups:
        person, is_exposed, is_complete, hometown, id_types = _flags(types)
        if person:
            people.add(chunk)
            if is_exposed:
                exposed.add(chunk)
                if is_complete:
                    complete.add(chunk)
        else:
            others += chunk.n
        if hometown:
            hometowns += chunk.n
        for t in id_types:
            ids[t].add(chunk)
    persons, n_exposed, n_complete = len(people), len(exposed), len(complete)
    counts = result.counts
    reasons: list[Reason] = []
    score = 0.0
    age: float | None = None
    if n_exposed:
        score = (
            weights.exposed_base
            + weights.exposed_per_decade * math.log10(n_exposed)
            + weights.complete_share * (n_complete / n_exposed)
        )
        if n_complete:
            reasons.append(R.reason(R.COMPLETE, n=n_complete))
        if n_exposed > n_complete:
            reasons.append(R.reason(R.EXPOSED, n=n_exposed - n_complete))
    elif records:
        weight = persons + others
        score = min(weights.unexposed_max, 5.0 + 8.0 * math.log10(1 + weight))
        if persons:
            reasons.append(R.reason(R.NO_ADDRESS, n=persons))
    id_people = {t: len(p) for t, p in ids.items()}
    for typ, n in id_people.items():
        if not n:
            continue
        reasons.append(R.reason(R.UNIQUE_ID, entity_type=typ, n=n))
    n_ids = max(id_people.values(), default=0)
    found = [t for t, n in counts.items() if n]
    if n_ids and not result.encrypted:  # the duty right after the identifiers it is about
        reasons.append(R.reason(R.DUTY_ENCRYPT, articles=legal.duty_articles(legal.UNIQUE_IDENTIFIER, found)))
    if n_ids:
        if n_exposed:
            score += weights.unique_id
        else:
            score = max(score, weights.unique_id_alone_base + 10.0 * math.log10(n_ids))
    if hometowns:
        reasons.append(R.reason(R.NK_HOMETOWN, n=hometowns))
    if score > 0:
        for category in sorted(result.context_terms):
            score += weights.sensitive_context
            reasons.append(R.reason(R.CONTEXT, category=category))
        if legal.SENSITIVE in legal.file_categories(found, result.context_terms):
            reasons.append(R.reason(R.DUTY_SENSITIVE, articles=legal.duty_articles(legal.SENSITIVE, found)))
        access = result.ref.access
        score += reach.audience_points(access, weights)
        reasons.append(reach.audience_reason(access))
        age = reach.stale_years(result.ref.mtime, time.time() if now is None else now, weights)
        if age is not None and result.ref.mtime is not None:
            score += weights.stale
            reasons.append(reach.stale_reason(result.ref.mtime, age))
        if result.encrypted:
            score *= weights.encrypted_factor
            reasons.append(R.reason(R.ENCRYPTED))
        else:
            reasons.append(R.reason(R.NOT_ENCRYPTED))
    if not records and counts:
        reasons.append(Reason(R.ONLY, tuple(sorted(counts.items()))))
    score = round(max(0.0, min(100.0, score)), 1)
    severity = severity_of(score)
    stale = score > 0 and age is not None
    todo: tuple[str, ...] = ()
    if severity_rank(severity) >= severity_rank("medium"):
        todo = reach.actions(result.ref.access, stale, result.encrypted)
    elif stale:
        todo = (reach.DELETE_OR_ARCHIVE,)
    return FileExposure(
        result=result,
        risk_score=score,
        severity=severity,
        persons=persons,
        exposed_persons=n_exposed,
        complete_persons=n_complete,
        reasons=tuple(reasons),
        actions=todo,
        stale=stale,
    )


def rank(exposures: Iterable[FileExposure]) -> tuple[FileExposure, ...]:
    """Fix-first order: exposed people (identity-complete ones count twice), then the score (IDs,
    sensitive context, reach), then people with any personal data; files not scanned come last.

    People come before the score so that a roster of 997 always outranks a file with fewer
    exposed people, however sensitive the smaller file's context makes its score.
    """

    def key(e: FileExposure) -> tuple[int, float, int, str]:
        return (-(e.exposed_persons + e.complete_persons), -e.risk_score, -e.persons, e.result.ref.path)

    ordered = sorted(exposures, key=key)
    return tuple(replace(e, rank=i) for i, e in enumerate(ordered, start=1))


def folders(exposures: Iterable[FileExposure]) -> tuple[FolderExposure, ...]:
    """Roll files up into every ancestor folder: the worst file sets the score, people add up."""
    acc: dict[str, list[FileExposure]] = {}
    for e in exposures:
        top = e.result.ref.path.split("!", 1)[0]
        parts = top.split("/")[:-1]
        for depth in range(len(parts) + 1):
            acc.setdefault("/".join(parts[:depth]) or ".", []).append(e)
    out = []
    for path, items in acc.items():
        worst = max((i.risk_score for i in items), default=0.0)
        out.append(
            FolderExposure(
                path=path,
                risk_score=worst,
                severity=severity_of(worst),
                persons=sum(i.exposed_persons for i in items),
                files=len(items),
            )
        )
    out.sort(key=lambda f: (-f.risk_score, -f.persons, f.path))
    return tuple(out)
