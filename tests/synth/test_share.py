"""The realistic share generator: deterministic, mostly documents without people, rosters labelled,
no paragraph repeated, every file readable by the extractors."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from pii_audit.extract.registry import extract
from pii_synth.ids import is_valid_rrn
from pii_synth.share import build_share


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _text(path: Path) -> str:
    return "\n".join(s.text for s in extract(path.read_bytes(), path.name).segments)


@pytest.fixture(scope="module")
def share(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, object]], dict[str, str]]:
    out = tmp_path_factory.mktemp("share")
    stats = build_share(out, megabytes=1.5, seed=5)
    assert stats.bytes >= 1_500_000
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))["files"]
    texts = {rel: _text(out / "docs" / rel) for rel in truth}
    return out, truth, texts


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    build_share(tmp_path / "a", megabytes=0.3, seed=3)
    build_share(tmp_path / "b", megabytes=0.3, seed=3)
    build_share(tmp_path / "c", megabytes=0.3, seed=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_mostly_documents_rosters_about_three_percent(share: tuple[Path, dict, dict]) -> None:
    out, truth, _ = share
    docs = out / "docs"
    sizes = {rel: (docs / rel).stat().st_size for rel in truth}
    assert sizes.keys() == {str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file()}
    positive = [rel for rel, t in truth.items() if not t["negative"]]
    assert positive, "some rosters"
    share_of_bytes = sum(sizes[r] for r in positive) / sum(sizes.values())
    assert 0.01 < share_of_bytes < 0.08
    by_ext = Counter(Path(rel).suffix for rel in truth)
    for ext in (".docx", ".pdf", ".xlsx", ".csv"):
        assert by_ext[ext] >= 2, by_ext
    assert all(rel.count("/") >= 1 for rel in truth) and any(rel.count("/") >= 3 for rel in truth), "nested"
    for rel in positive:
        t = truth[rel]
        assert t["exposure"] > 0
        assert {e["type"] for e in t["entities"]} >= {"PERSON", "DATE_OF_BIRTH", "ADDRESS", "PHONE_NUMBER"}


def test_every_label_is_in_its_file(share: tuple[Path, dict, dict]) -> None:
    _, truth, texts = share
    for rel, t in truth.items():
        for e in t["entities"]:
            assert e["value"] in texts[rel], (rel, e["type"])


def test_negatives_hold_no_personal_data(share: tuple[Path, dict, dict]) -> None:
    """By construction: no value of any roster occurs in a negative file, nor a mobile number or a
    valid RRN; the negatives still carry hard negatives (dates, codes, organisations, numbers)."""
    _, truth, texts = share
    values = {e["value"] for t in truth.values() for e in t["entities"]}
    names = {e["value"] for t in truth.values() for e in t["entities"] if e["type"] == "PERSON"}
    assert len(names) > 100
    negatives = [rel for rel, t in truth.items() if t["negative"]]
    assert len(negatives) > 5 * (len(truth) - len(negatives))
    rrn_like = re.compile(r"(?<!\d)\d{6}-?\d{7}(?!\d)")
    for rel in negatives:
        text = texts[rel]
        assert text.strip(), rel
        hits = [v for v in values if v in text]
        assert not hits, (rel, len(hits))
        assert not re.search(r"01[016789]-\d{3,4}-\d{4}", text), rel
        assert not [m for m in rrn_like.findall(text) if is_valid_rrn(m)], rel
    joined = "\n".join(texts[rel] for rel in negatives)
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일", joined) and re.search(r"\d{3}-\d{2}-\d{5}", joined)
    assert re.search(r"\b880\d{10}\b", joined) and "(주)" in joined


def test_no_paragraph_is_written_twice(share: tuple[Path, dict, dict]) -> None:
    _, truth, texts = share
    seen: Counter[str] = Counter()
    for rel, t in truth.items():
        if t["negative"] and Path(rel).suffix in (".docx", ".md", ".txt", ".html", ".hwpx"):
            seen.update(line for line in texts[rel].splitlines() if len(line) > 60)
    assert seen and max(seen.values()) == 1, seen.most_common(1)


def test_korean_pdf_text_is_extractable(share: tuple[Path, dict, dict]) -> None:
    _, truth, texts = share
    pdfs = [texts[rel] for rel in truth if rel.endswith(".pdf")]
    assert any(re.search(r"[가-힣]{2,}", t) for t in pdfs) and any(
        re.search(r"[A-Za-z]{4,} [a-z]{3,}", t) for t in pdfs
    )
    assert not any("\ufffd" in t for t in pdfs)
