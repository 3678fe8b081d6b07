"""Packed person records: the same records, counted the same way, in 14 bytes each."""

from __future__ import annotations

import pickle
import random

import pytest

from pii_audit import score
from pii_audit.model import FileRef, FileResult, PersonRecord, Status, type_set
from pii_audit.packed import PackedRecords
from pii_audit.score import assess, run_people

TYPES = [
    type_set({"PERSON", "DATE_OF_BIRTH", "ADDRESS"}),
    type_set({"PERSON", "ADDRESS"}),
    type_set({"PERSON", "PHONE_NUMBER"}),
    type_set({"ADDRESS", "NK_HOMETOWN", "PERSON"}),
    type_set({"KR_RRN", "ADDRESS"}),
    type_set({"PHONE_NUMBER"}),
]


def records(n: int, seed: int = 0) -> tuple[PersonRecord, ...]:
    """Records with repeated people (the same key in several rows) and keyless ones."""
    rng = random.Random(seed)
    keys = [f"{rng.getrandbits(96):024x}" for _ in range(n // 3)]
    out = []
    for _ in range(n):
        types = rng.choice(TYPES)
        key = None if types == TYPES[-1] or rng.random() < 0.05 else rng.choice(keys)
        out.append(PersonRecord(types, key))
    return tuple(out)


def result(recs: object, path: str = "a.csv") -> FileResult:
    return FileResult(ref=FileRef(path=path, location=path), status=Status.SCANNED, records=recs)  # type: ignore[arg-type]


def test_packed_records_are_the_records() -> None:
    plain = records(500)
    packed = PackedRecords.pack(plain)
    assert len(packed) == 500 and packed == plain and list(packed) == list(plain)
    assert packed[7] == plain[7] and packed[-1] == plain[-1] and tuple(packed[10:20]) == plain[10:20]
    assert pickle.loads(pickle.dumps(packed)) == plain
    assert len(packed.keys) == 12 * 500 and len(packed.types) <= len(TYPES)
    with pytest.raises(IndexError):
        packed[500]


def test_only_fingerprints_can_be_packed() -> None:
    with pytest.raises(ValueError):
        PackedRecords.pack([PersonRecord(TYPES[0], "not-a-fingerprint")])


@pytest.mark.parametrize("numpy_min", [10, 10**9])
def test_counting_packed_records_matches_counting_plain_ones(numpy_min: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score, "_NUMPY_MIN", numpy_min)  # 10: the numpy path; 10**9: the Python path
    plain = records(3000, seed=1)
    a, b = assess(result(plain)), assess(result(PackedRecords.pack(plain)))
    assert (a.persons, a.exposed_persons, a.complete_persons, a.risk_score, a.reasons) == (
        b.persons,
        b.exposed_persons,
        b.complete_persons,
        b.risk_score,
        b.reasons,
    )
    assert 0 < a.complete_persons < a.exposed_persons < a.persons
    other = records(2000, seed=2)[:1000] + plain[:500]  # people shared between two files count once
    mixed = [result(PackedRecords.pack(plain)), result(other, "b.csv")]
    assert run_people(mixed) == run_people([result(plain), result(other, "b.csv")])


@pytest.mark.parametrize("numpy_min", [10, 10**9])
def test_a_run_is_assessed_as_its_files_are_one_by_one(numpy_min: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`assess_run` groups each file's records once for its score and the run's people: the same
    exposures and counts as `assess` of each file and `run_people` of them all."""
    monkeypatch.setattr(score, "_NUMPY_MIN", numpy_min)
    one_kind = PackedRecords.pack([PersonRecord(TYPES[1], f"{i + 1:08x}" * 3 if i % 4 else None) for i in range(40)])
    files = [
        result(PackedRecords.pack(records(3000, seed=3))),
        result(records(800, seed=4), "b.csv"),
        result(one_kind, "c.csv"),
        result((), "empty.txt"),
    ]
    exposures, counts = score.assess_run(files, now=1e9)
    assert exposures == [assess(f, now=1e9) for f in files]
    assert counts == run_people(files)
    assert exposures[2].persons == 40 and counts[0] > exposures[0].persons


@pytest.mark.parametrize("size", [0, 1, 2, 7, 5000])
def test_distinct_keys_are_counted_as_a_set_counts_them(size: int) -> None:
    import numpy as np

    rng = random.Random(size)
    values = [rng.randrange(2**64) for _ in range(size // 2)] or [0]
    keys = np.array([rng.choice(values) for _ in range(size)], dtype=np.uint64)  # repeats, unsorted
    assert score._distinct(keys) == len(set(keys.tolist()))
