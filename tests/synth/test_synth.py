"""The synthetic data generator: valid/invalid identifiers, labelled corpus, determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from pathlib import Path

import pytest

from pii_synth import Synth, ids, names, places
from pii_synth.corpus import build_corpus
from pii_synth.writers import file_text

TYPES = {
    "PERSON",
    "DATE_OF_BIRTH",
    "ADDRESS",
    "KR_RRN",
    "KR_FRN",
    "KR_PASSPORT",
    "KR_DRIVER_LICENSE",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
}


def _check(rrn: str) -> bool:
    d = rrn.replace("-", "")
    total = sum(int(a) * w for a, w in zip(d[:12], (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    return (11 - total % 11) % 10 == int(d[12])


@pytest.mark.parametrize("seed", range(5))
def test_rrn_checksum_and_century_digit(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        birth = dt.date(rng.randrange(1900, 2024), rng.randrange(1, 13), rng.randrange(1, 29))
        male = rng.random() < 0.5
        rrn = ids.rrn(rng, birth, male)
        assert re.fullmatch(r"\d{6}-\d{7}", rrn)
        assert _check(rrn) and ids.is_valid_rrn(rrn)
        assert rrn[:6] == birth.strftime("%y%m%d")
        expected = (1 if male else 2) if birth.year < 2000 else (3 if male else 4)
        assert int(rrn[7]) == expected
        assert ids.is_valid_rrn(ids.rrn(rng, birth, male, hyphen=False))


def test_known_rrn_vectors() -> None:
    assert (
        ids.rrn_check_digit("900101123456")
        == (11 - sum(int(a) * w for a, w in zip("900101123456", ids.RRN_WEIGHTS, strict=True)) % 11) % 10
    )
    assert ids.century_digit(1985, male=True) == 1 and ids.century_digit(2003, male=False) == 4
    assert ids.century_digit(1985, male=False, foreign=True) == 6 and ids.century_digit(2010, True, True) == 7


@pytest.mark.parametrize("kind", ["checksum", "date", "century"])
def test_invalid_rrns_fail(kind: str) -> None:
    rng = random.Random(kind)
    for _ in range(200):
        bad = ids.invalid_rrn(rng, kind)
        assert re.fullmatch(r"\d{6}-\d{7}", bad)
        assert not ids.is_valid_rrn(bad, today=dt.date(2024, 6, 30)), bad


def test_frn_passport_licence_phone_shapes() -> None:
    s = Synth(3)
    for _ in range(100):
        frn = s.frn()
        assert frn[7] in "5678" and ids.is_valid_frn(frn) and not ids.is_valid_rrn(frn)
        assert re.fullmatch(r"[MS](\d{8}|\d{3}[A-Z]\d{4})", s.passport())
        lic = s.driver_licence()
        assert re.fullmatch(r"\d{2}-\d{2}-\d{6}-\d{2}", lic) and int(lic[:2]) in ids.LICENCE_REGIONS
        assert re.fullmatch(r"010-\d{4}-\d{4}", s.mobile())
        assert re.fullmatch(r"0\d{1,2}-\d{3,4}-\d{4}", s.landline())
        ean = ids.ean13(s.rng)
        assert len(ean) == 13 and not ids.is_valid_rrn(ean)


def test_persons_and_places() -> None:
    s = Synth(11)
    people = [s.korean_person(defector=True) for _ in range(300)]
    assert all(ids.is_valid_rrn(p.rrn) for p in people if not p.rrn_post2020)
    assert any(p.rrn_post2020 for p in people)
    assert any(p.name.surname in names.COMPOUND_SURNAMES for p in people)
    assert all(p.hometown and p.hometown.split()[0] in places.NK_HOMETOWNS for p in people)
    assert any("동 " in p.address.text and "호" in p.address.text for p in people)
    assert any(p.address.text.endswith("아파트)") for p in people)
    assert names.romanized_forms(random.Random(0), names.KoreanName("김", "철수"), style="mr") == (
        "KIM Chol-su",
        "Chol-su Kim",
    )
    assert places.nk_hometown_en("함경북도 회령시") == "Hoeryong, North Hamgyong Province"


def test_synth_is_deterministic() -> None:
    a, b = Synth(5), Synth(5)
    assert [a.korean_person(defector=True) for _ in range(20)] == [b.korean_person(defector=True) for _ in range(20)]
    assert a.english_person() == b.english_person()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    build_corpus(out, seed=3, scale=1)
    return out


def test_corpus_labels_occur_in_text(corpus: Path) -> None:
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["files"]
    on_disk = {p.relative_to(corpus / "docs").as_posix() for p in (corpus / "docs").rglob("*") if p.is_file()}
    assert set(truth) == on_disk
    kinds = {Path(p).suffix for p in truth}
    assert {".xlsx", ".csv", ".txt", ".docx"} <= kinds
    for rel, rec in truth.items():
        assert set(rec) == {"exposure", "negative", "entities"}
        text = file_text(corpus / "docs" / rel)
        if rec["negative"]:
            assert rec["entities"] == [] and rec["exposure"] == 0, rel
        seen = set()
        for ent in rec["entities"]:
            assert ent["type"] in TYPES
            assert ent["value"] in text, (rel, ent)
            assert (ent["type"], ent["value"]) not in seen
            seen.add((ent["type"], ent["value"]))
            if ent["type"] == "DATE_OF_BIRTH":
                assert not ent["value"].endswith("생")
    assert any(not r["negative"] and r["exposure"] == 0 and r["entities"] for r in truth.values())  # staff lists
    assert sum(r["negative"] for r in truth.values()) >= 8


def test_corpus_encodings(corpus: Path) -> None:
    docs = corpus / "docs"
    cp949 = (docs / "exports/주거지원_대상자_cp949.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        cp949.decode("utf-8")
    assert "주민등록번호" in cp949.decode("cp949")
    assert (docs / "exports/전출입자_목록_utf16.txt").read_bytes()[:2] == b"\xff\xfe"


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


def test_corpus_deterministic(tmp_path: Path, corpus: Path) -> None:
    build_corpus(tmp_path / "again", seed=3, scale=1)
    assert _digest(tmp_path / "again") == _digest(corpus)
