"""Audience and staleness in the exposure model: they order files that expose the same people and
set severity, and never lift a file above one that exposes more people."""

from __future__ import annotations

import pytest

from pii_audit.i18n import translator
from pii_audit.model import Access, Audience, FileRef, FileResult, PersonRecord, Reason, Status, type_set
from pii_audit.reasons import render_all
from pii_audit.score import Weights, assess, rank

COMPLETE = ["PERSON", "DATE_OF_BIRTH", "ADDRESS"]
NOW = 1_800_000_000.0
YEAR = 365.25 * 86400


def result(
    path: str,
    people: int,
    audience: Audience,
    types: list[str] = COMPLETE,
    mtime: float = NOW,
    context: tuple[str, ...] = (),
    inherited: bool = False,
) -> FileResult:
    records = tuple(PersonRecord(type_set(types), f"{path}-{i}") for i in range(people))
    access = Access(owner="alice", audience=audience, readers=("Everyone",), basis="test", inherited=inherited)
    ref = FileRef(path=path, location=path, size=1, mtime=mtime, access=access)
    return FileResult(ref=ref, status=Status.SCANNED, records=records, context_terms=context)


@pytest.mark.parametrize(
    ("audience", "score", "severity"),
    [  # 10 identity-complete people: 45 + 15·log10(10) + 10 = 70, then the audience
        (Audience.EVERYONE, 80.0, "critical"),
        (Audience.ORGANISATION, 75.0, "critical"),
        (Audience.OWNER_ONLY, 70.0, "high"),
        (Audience.UNKNOWN, 70.0, "high"),
    ],
)
def test_the_audience_moves_score_and_severity(audience: Audience, score: float, severity: str) -> None:
    e = assess(result("r.csv", 10, audience), now=NOW)
    assert (e.risk_score, e.severity) == (score, severity)


def test_identical_files_rank_by_audience() -> None:
    files = [result(f"{a.value}.csv", 10, a) for a in reversed(list(Audience))]
    ranked = rank(assess(r, now=NOW) for r in files)
    assert [e.result.ref.access.audience for e in ranked][:3] == [
        Audience.EVERYONE,
        Audience.ORGANISATION,
        Audience.OWNER_ONLY,
    ]


def test_no_audience_lifts_fewer_people_above_a_roster() -> None:
    roster = result("z-roster.csv", 300, Audience.OWNER_ONLY)
    small = result("a-small.csv", 2, Audience.EVERYONE, context=("defector", "health"))
    nobody = result("a-phones.csv", 50, Audience.EVERYONE, types=["PERSON", "PHONE_NUMBER"])
    ranked = rank(assess(r, now=NOW) for r in (nobody, small, roster))
    assert [e.result.ref.path for e in ranked] == ["z-roster.csv", "a-small.csv", "a-phones.csv"]


def _words(reasons: tuple[Reason, ...]) -> tuple[str, ...]:
    return render_all(reasons, translator("en"))


def test_reasons_and_actions_say_who_and_what() -> None:
    e = assess(result("r.csv", 3, Audience.EVERYONE), now=NOW)
    assert "readable by Everyone (test)" in _words(e.reasons)
    assert e.actions == ("restrict-access", "encrypt")
    moved = assess(result("r.csv", 3, Audience.EVERYONE, inherited=True), now=NOW)
    assert moved.actions == ("move", "encrypt")
    private = assess(result("r.csv", 3, Audience.OWNER_ONLY), now=NOW)
    assert "owner-only (test)" in _words(private.reasons) and private.actions == ("encrypt",)


def test_stale_data_after_the_threshold() -> None:
    fresh = assess(result("r.csv", 3, Audience.OWNER_ONLY, mtime=NOW - 2.9 * YEAR), now=NOW)
    old = assess(result("r.csv", 3, Audience.OWNER_ONLY, mtime=NOW - 4.2 * YEAR), now=NOW)
    assert not fresh.stale and old.stale
    assert old.risk_score == fresh.risk_score + 5
    assert old.actions[0] == "delete-or-archive"
    assert any(r.startswith("not modified for 4 years (since 2022-") for r in _words(old.reasons))
    never = assess(result("r.csv", 3, Audience.OWNER_ONLY, mtime=NOW - 40 * YEAR), Weights(stale_years=0), now=NOW)
    assert not never.stale


def test_a_stale_file_without_exposure_gets_only_the_stale_action() -> None:
    phones = assess(result("p.csv", 3, Audience.EVERYONE, types=["PERSON", "PHONE_NUMBER"], mtime=0.0), now=NOW)
    assert phones.severity == "low" and phones.actions == ("delete-or-archive",)
