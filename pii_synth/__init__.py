"""Synthetic personal data for tests, examples and benchmarks (never real data).

Entry points: :class:`Synth` (deterministic person/identifier factory), the identifier helpers in
:mod:`pii_synth.ids`, and :func:`pii_synth.corpus.build_corpus` (labelled corpus writer).
"""

from pii_synth.ids import frn_check_digit, is_valid_frn, is_valid_rrn, rrn_check_digit
from pii_synth.persons import EnglishPerson, KoreanPerson, Synth

__all__ = [
    "EnglishPerson",
    "KoreanPerson",
    "Synth",
    "frn_check_digit",
    "is_valid_frn",
    "is_valid_rrn",
    "rrn_check_digit",
]
