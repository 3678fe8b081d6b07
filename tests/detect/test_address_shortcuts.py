"""AddressRecognizer's shortcuts change no result: the finders run in windows around their anchors
(`_windows`), `sk_from_district` is matched only where a district name can start (`_iter_at`,
`_district_starts`), the whole-address matches are scored only when `_resolve` needs the score
and the coarse ones, whether they are there at all, only then (`_Rated`), and a cluster with one
candidate covering the others keeps it without sorting (`_covering`). Here the same texts go
through the full path (every pattern over the whole text, every candidate tested and scored at
once, the former `_resolve`) and must give the same candidates, spans and scores.

Every value here is synthetic, made by pii_synth or written for this test.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from pii_audit.detect.korean import address
from pii_audit.detect.korean.address import AddressRecognizer, _Candidate
from pii_synth.places import kr_address, nk_hometown
from tests.detect.test_address import NEGATIVE, NORTH, VALID


def _texts() -> list[str]:
    rng = random.Random(16)
    texts = [t for t, _ in VALID + NORTH] + list(NEGATIVE)
    rows = []
    for i in range(120):
        addr = kr_address(rng).text
        rows.append(f"성명: 김민{i % 10}\n생년월일: 1980-01-0{i % 9 + 1}\n주소: {addr}\n연락처: 010-0000-{i:04d}")
    texts.append("\n\n".join(rows))
    texts.append("\n".join(f"{i},홍길동,{kr_address(rng).text},010-1234-{i:04d}" for i in range(60)))
    prose = []
    for i in range(40):
        prose.append(
            f"{i}번 상담자는 {kr_address(rng).text}에 거주하며 고향은 {nk_hometown(rng)}이다. "
            f"본사 주소 {kr_address(rng).text} 일대, 역삼동 {i}-{i + 3} (역삼푸르지오아파트 105동 902호), "
            f"우편번호 0{i:04d}, 센텀시티 1로 {i}, 파크타워 3동 1203호, 123 Teheran-ro, Gangnam-gu, Seoul"
        )
    texts.append("\n".join(prose))
    # A neighbourhood (동, 리, 가) and a lot number with no district before it: only `sk_dong_lot` finds them.
    lots = ["봉평리 123-4 (행복빌라 2층 301호)", "충무로1가 24-5, 명동빌딩 3층", "덕산리 산 45-2 번지"]
    lots.append("역삼동 77 101호")
    texts += [f"거주지: {lot}, 연락처 010-2222-{i:04d}" for i, lot in enumerate(lots)]
    return texts


def _reference_resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """`address._resolve` as it was before candidates were rated lazily: every score known."""
    kept: list[_Candidate] = []
    cluster: list[_Candidate] = []
    cluster_end = -1
    for cand in [*sorted(candidates, key=lambda c: (c.start, c.end)), None]:
        if cand is not None and cand.start < cluster_end:
            cluster.append(cand)
            cluster_end = max(cluster_end, cand.end)
            continue
        chosen: list[_Candidate] = []
        for c in sorted(cluster, key=lambda c: (c.start - c.end, -c.score, c.start)):
            if all(c.end <= k.start or c.start >= k.end for k in chosen):
                chosen.append(c)
        kept.extend(sorted(chosen, key=lambda c: c.start))
        if cand is not None:
            cluster, cluster_end = [cand], cand.end
    return kept


def _found(recognizer: AddressRecognizer, text: str) -> list[tuple[int, int, float, bool]]:
    return [(c.start, c.end, c.score, c.north_korean) for c in recognizer.find(text)]


def test_shortcuts_find_what_the_full_path_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    recognizer = AddressRecognizer("ko")
    texts = _texts()
    short = [_found(recognizer, t) for t in texts]

    def whole(text: str, anchor: object, before: int, after: int) -> list[tuple[int, int]]:
        return [(0, len(text))]

    def eager(self: AddressRecognizer, text: str, start: int, end: int, score: float, bonus: float) -> _Candidate:
        return self._numbered(text, start, end, score + bonus if self._address_cue(text, start, end) else score)

    def eager_coarse(self: AddressRecognizer, text: str, p: Any) -> list[_Candidate]:
        out = []
        for m in self._iter(p.sk_coarse, text):
            if self._organisation(text, m.start(), m.end()):
                continue
            cue = self._address_cue(text, m.start(), m.end())
            if m["dong"]:
                out.append(_Candidate(m.start(), m.end(), 0.65 if cue else 0.5))
            elif cue:
                out.append(_Candidate(m.start(), m.end(), 0.6))
        return out

    def every_offset(self: AddressRecognizer, pattern: Any, text: str, windows: Any, starts: list[int]) -> Any:
        return self._iter(pattern, text, windows)

    monkeypatch.setattr(AddressRecognizer, "_iter_at", every_offset)
    monkeypatch.setattr(address, "_windows", whole)
    monkeypatch.setattr(AddressRecognizer, "_rated", eager)
    monkeypatch.setattr(AddressRecognizer, "_south_coarse", eager_coarse)
    monkeypatch.setattr(address, "_resolve", _reference_resolve)
    full = [_found(recognizer, t) for t in texts]
    assert short == full
    assert sum(len(f) for f in full) > 300  # the texts hold addresses of every kind


def test_resolve_orders_equal_lengths_by_score() -> None:
    asked: list[int] = []

    def rated(start: int, end: int, score: float) -> address._Rated:
        return address._Rated(start, end, lambda: asked.append(start) or score)  # type: ignore[func-returns-value]

    # Two candidates of one length overlap: the higher score wins; the shorter one nested in the
    # longer one is never scored.
    kept = address._resolve([rated(0, 10, 0.7), rated(2, 12, 0.8), rated(3, 6, 0.9)])
    assert [(c.start, c.end, c.score) for c in kept] == [(2, 12, 0.8)]
    assert sorted(asked) == [0, 2]


def _spans(matches: list[Any]) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    return [(m.span(), m.groupdict()) for m in matches]


def test_matching_at_district_starts_finds_what_finditer_finds() -> None:
    recognizer = AddressRecognizer("ko")
    recognizer.load()
    p = recognizer._patterns
    assert p is not None and p.district_prefixes is not None
    rng = random.Random(7)
    texts = _texts()
    # Districts of two words with any spaces between them, names glued to a word before them, and
    # two-character districts (`중구`).
    texts += [
        "주소: 경기도 고양시   일산서구 중앙로 1275, 101동 202호",
        "고양시\u3000덕양구 화신로 12 / 용인시 수지구 포은대로 435",
        "대구중구 동덕로 30 (삼덕동) 과 서울 중구 세종대로 110, 중구 을지로 12",
        "부산광역시 해운대구 해운대로 570\n해운대구 우동 1500-1 (센텀)",
    ]
    found = 0
    for text in texts:
        starts = address._district_starts(text, p.district_prefixes)
        anchored = address._windows(text, address._NUMBER_ANCHOR, address._REACH_BEFORE, address._REACH_AFTER)
        cuts = sorted(rng.sample(range(len(text) + 1), min(6, len(text) + 1)))
        pieces = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]  # windows cutting through words
        for windows in (anchored, [(0, len(text))], pieces):
            expected = _spans(recognizer._iter(p.sk_from_district, text, windows))
            assert _spans(recognizer._iter_at(p.sk_from_district, text, windows, starts)) == expected, text
            found += len(expected)
    assert found > 300
