"""detect/dedupe.py returns what Presidio's `remove_duplicates` returns: the same objects, in the
same order, on random result lists full of equal, nested and overlapping spans."""

from __future__ import annotations

import random

from presidio_analyzer import EntityRecognizer, RecognizerResult

from pii_audit.detect.dedupe import remove_duplicates

TYPES = ["PERSON", "ADDRESS", "PHONE_NUMBER", "DATE_OF_BIRTH"]
SCORES = [0.0, 0.4, 0.5, 0.6, 0.85, 0.85000001, 1.0]


def _results(rng: random.Random, n: int) -> list[RecognizerResult]:
    out = []
    for _ in range(n):
        start = rng.randrange(40)
        out.append(
            RecognizerResult(
                rng.choice(TYPES), start, start + rng.randrange(1, 12), rng.choice(SCORES), {"n": len(out)}
            )
        )
    return out


def test_same_as_presidio_on_random_lists() -> None:
    rng = random.Random(16)
    for n in [0, 1, 2, 3, 5, 8, 13, 30, 80] * 40:
        results = _results(rng, n)
        ours = remove_duplicates(list(results))
        theirs = EntityRecognizer.remove_duplicates(list(results))
        assert [id(r) for r in ours] == [id(r) for r in theirs], [str(r) for r in results]


def test_int_scores_go_to_presidio() -> None:
    results = [RecognizerResult("PERSON", 0, 3, 1), RecognizerResult("PERSON", 0, 3, 1.0)]
    assert [id(r) for r in remove_duplicates(list(results))] == [
        id(r) for r in EntityRecognizer.remove_duplicates(list(results))
    ]
