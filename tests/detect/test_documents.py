"""Accuracy floors per genre on the hand-written documents of tests/documents/ (issue 12).

Each genre folder holds documents written the way people write them, personal data marked inline,
and hard negatives (`neg_*`); benchmarks/genres.py renders, scans and scores them (micro-F1, the
shared yardstick's matching rules). A floor is a little below what the detector reaches, so a change
that loses a genre fails here. Rerun and print the table: `.venv/bin/python benchmarks/genres.py`.
English genres (`en_*`) add their own entries to FLOORS.
"""

from __future__ import annotations

import pytest

from benchmarks.genres import Tally, evaluate, load
from pii_audit.detect.engine import Detector

# genre folder -> minimum micro-F1 over its documents
FLOORS: dict[str, float] = {
    "en_casenotes": 0.92,
    "en_chat": 0.88,
    "en_config": 0.95,
    "en_cv": 0.85,
    "en_email": 0.95,
    "en_form": 0.93,
    "en_letter": 0.95,
    "en_logs": 0.95,
    "en_minutes": 0.92,
    "en_news": 0.80,
    "en_sms": 0.95,
    "ko_addressbook": 0.92,
    "ko_applog": 0.95,
    "ko_authors": 0.95,
    "ko_chat": 0.95,
    "ko_config": 0.95,
    "ko_counsel": 0.95,
    "ko_court": 0.95,
    "ko_forms": 0.95,
    "ko_ids": 0.95,
    "ko_letter": 0.95,
    "ko_memo": 0.95,
    "ko_minutes": 0.95,
    "ko_news": 0.92,
    "ko_notice": 0.95,
    "ko_roster": 0.95,
    "ko_sms": 0.85,
}
# findings of the scored types allowed on a genre's negative documents
MAX_NEGATIVE_FINDINGS = 2


@pytest.fixture(scope="module")
def results(detector: Detector) -> dict[str, dict[str, Tally]]:
    return evaluate(load(genres=FLOORS), detector=detector)


def test_every_genre_folder_has_a_floor_and_a_negative() -> None:
    docs = load()
    genres = {d.genre for d in docs}
    assert genres <= set(FLOORS), f"genres without a floor: {sorted(genres - set(FLOORS))}"
    for genre in genres:
        kinds = {d.negative for d in docs if d.genre == genre}
        assert kinds == {True, False}, f"{genre}: needs documents with personal data and hard negatives"
        assert all(not d.labels for d in docs if d.genre == genre and d.negative)


@pytest.mark.parametrize("genre", sorted(FLOORS))
def test_genre_f1_floor(results: dict[str, dict[str, Tally]], genre: str) -> None:
    tally = results[genre]["ALL"]
    assert tally.f1 >= FLOORS[genre], f"{genre}: F1 {tally.f1:.3f} < {FLOORS[genre]}\n" + "\n".join(tally.errors)
    assert tally.negatives_fp <= MAX_NEGATIVE_FINDINGS, "\n".join(e for e in tally.errors if "/neg_" in e)
