"""The exposure model (DESIGN.md): how badly a file exposes people, as a score, a severity and
reasons in words.

The unit of harm is an exposed person: a record that ties a name, birth date or ID to a
residential address. Identity-complete persons (name or ID + birth date + address) weigh double.
The score grows with the log of that weight (one person is not a thousand), with unique
identifiers under Korean law, with sensitive context and with reach, and falls for encrypted
files. Phones, e-mails and hometowns add weight but never make a file `high` on their own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from pii_audit.detect.sensitive import LABELS
from pii_audit.model import FileExposure, FileResult, FolderExposure, PersonRecord

UNIQUE_IDS = ("KR_RRN", "KR_FRN", "KR_PASSPORT", "KR_DRIVER_LICENSE")
ID_WORDS = {
    "KR_RRN": "resident registration numbers",
    "KR_FRN": "foreigner registration numbers",
    "KR_PASSPORT": "passport numbers",
    "KR_DRIVER_LICENSE": "driver licence numbers",
}


@dataclass(frozen=True)
class Weights:
    exposed_base: float = 45.0
    exposed_per_decade: float = 15.0  # points per 10x more exposed people
    complete_share: float = 10.0  # points when every exposed person is identity-complete
    unexposed_max: float = 30.0  # names/contacts/hometowns without an address stay below `high`
    unique_id: float = 8.0
    unique_id_alone_base: float = 30.0
    sensitive_context: float = 10.0
    world_readable: float = 5.0
    encrypted_factor: float = 0.3


BANDS = (("critical", 75.0), ("high", 55.0), ("medium", 30.0), ("low", 0.01))


def severity_of(score: float) -> str:
    for name, floor in BANDS:
        if score >= floor:
            return name
    return "none"


def distinct_people(records: Iterable[PersonRecord]) -> int:
    """People among records: one per keyed fingerprint, and one per record that has no key."""
    keys: set[str] = set()
    anonymous = 0
    for r in records:
        if r.key:
            keys.add(r.key)
        else:
            anonymous += 1
    return len(keys) + anonymous


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def assess(result: FileResult, weights: Weights = Weights()) -> FileExposure:
    records = result.records
    exposed = [r for r in records if r.exposed]
    complete = [r for r in exposed if r.identity_complete]
    persons = distinct_people(r for r in records if r.has_identity or r.has_birth)
    n_exposed, n_complete = distinct_people(exposed), distinct_people(complete)
    counts = Counter(f.entity_type for f in result.findings)
    reasons: list[str] = []
    score = 0.0
    if n_exposed:
        score = (
            weights.exposed_base
            + weights.exposed_per_decade * math.log10(n_exposed)
            + weights.complete_share * (n_complete / n_exposed)
        )
        if n_complete:
            reasons.append(f"{_people(n_complete)} with name or ID + birth date + address")
        if n_exposed > n_complete:
            reasons.append(f"{_people(n_exposed - n_complete)} with name, birth date or ID + address")
    elif records:
        weight = persons + sum(1 for r in records if not (r.has_identity or r.has_birth))
        score = min(weights.unexposed_max, 5.0 + 8.0 * math.log10(1 + weight))
        if persons:
            reasons.append(f"personal data of {_people(persons)}, no residential address")
    id_people = {t: distinct_people(r for r in records if t in r.entity_types) for t in UNIQUE_IDS}
    for typ, n in id_people.items():
        if not n:
            continue
        reasons.append(f"{ID_WORDS[typ]} of {_people(n)}")
    n_ids = max(id_people.values(), default=0)
    if n_ids:
        if n_exposed:
            score += weights.unique_id
        else:
            score = max(score, weights.unique_id_alone_base + 10.0 * math.log10(n_ids))
    hometowns = sum(1 for r in records if "NK_HOMETOWN" in r.entity_types)
    if hometowns:
        reasons.append(f"North Korean hometowns of {_people(hometowns)}")
    if score > 0:
        for category in sorted(result.context_terms):
            score += weights.sensitive_context
            reasons.append(LABELS.get(category, category))
        if result.ref.world_readable:
            score += weights.world_readable
            reasons.append("readable by everyone")
        if result.encrypted:
            score *= weights.encrypted_factor
            reasons.append("encrypted")
        else:
            reasons.append("not encrypted")
    if not records and counts:
        reasons.append("only " + ", ".join(f"{n} {t}" for t, n in sorted(counts.items())))
    score = round(min(100.0, score), 1)
    return FileExposure(
        result=result,
        risk_score=score,
        severity=severity_of(score),
        persons=persons,
        exposed_persons=n_exposed,
        complete_persons=n_complete,
        reasons=tuple(reasons),
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
