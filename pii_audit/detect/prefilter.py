"""NLP economy: decide, with cheap regexes, which text needs which part of the analyzer.

Where the time went (cProfile, `make_corpus.py --seed 0`, 36 files): 70% in Presidio's
`nlp_engine.process_text`, which it calls for every `analyze`: Kiwi tokenisation for the `ko`
pipeline (~9 s of 26 s) and spaCy's English tagger + NER (~7 s). None of our Korean recognizers
reads the NLP artifacts (context is matched on text windows, and KoreanNameRecognizer calls Kiwi
itself for the few candidates it cannot judge otherwise), and the only consumer of the English
artifacts is EnglishPersonRecognizer, which keeps a spaCy PERSON only when it reads as 2–4
capitalised Latin words (`LATIN_NAME`). So:

- `ko` is analysed with empty artifacts (no Kiwi pass over the text at all);
- `en` runs spaCy only when `LATIN_NAME` matches somewhere in the chunk: a spaCy entity that the
  recognizer keeps fullmatches `LATIN_NAME`, so the chunk contains a match: this skip is exact;
  and only when one such span could pass the recognizer's NER filters and is not already a
  word-list finding (`english_people.ner_lines`): Korean prose quoting `LG Display`, English
  text whose capitalised pairs are all organisation words, headings or known names, skip spaCy.
  Also exact: the filters are the ones `_find` applies to spaCy's spans, tried on every span
  spaCy could return. This took spaCy off most chunks (Korean prose: 11k -> 30k chars/s);
- and where it runs, spaCy reads only the lines holding such a span, each with the line before
  and after it (`engine._around`), unless they make up most of the chunk. This one is not exact
  by construction (NER sees less context); detections were identical on three generated corpora,
  tests/documents and the devset (English prose: 19k -> 41k chars/s);
- a chunk with no candidate character at all (`has_candidates`) is not analysed;
- and when spaCy does run, only its NER does (engine._ner_only): nothing reads tags or lemmas.

Recognizers registered for both languages do their matching once per chunk, not once per
language pass (detect/shared.py).

Each rule loses nothing by construction; the reports before and after are compared finding by
finding in the throughput benchmark (`--check`) and tests/detect/test_prefilter.py.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer.nlp_engine import NlpArtifacts

# Two to four capitalised words: a surname alone (`Kim`) is not a name.
# Latin letters with the accents of European names (`Zsófia Halász`, `Åsa Lindqvist`).
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿĀ-ſ"
LATIN_NAME = re.compile(rf"[{_UPPER}][{_LETTER}'’\-]+(?: [{_UPPER}][{_LETTER}'’\-]*\.?){{1,3}}")

# What every recognizer's match contains at least one of: a digit (IDs, phones, dates, house
# numbers, IPs, IBANs), Hangul (Korean names, addresses, dates), `@` (e-mails) or a Latin capital
# (names, month names, romanised places). Letters are tested case-folded for month names and
# lowercase romanised places, so only text without letters, digits and `@` is skipped.
_CANDIDATE = re.compile(r"[0-9@\uac00-\ud7a3A-Za-z\uff10-\uff19]")


def has_candidates(text: str) -> bool:
    """False only for text where no recognizer can match (punctuation, whitespace, symbols)."""
    return _CANDIDATE.search(text) is not None


def needs_english_ner(text: str) -> bool:
    """True when spaCy's English NER could yield a PERSON that EnglishPersonRecognizer keeps."""
    return LATIN_NAME.search(text) is not None


def empty_artifacts(nlp_engine: Any, language: str) -> NlpArtifacts:
    """NLP artifacts with no tokens and no entities, so Presidio does not run the pipeline."""
    no_tokens: Any = []  # no recognizer of ours reads tokens; Presidio only passes them on
    return NlpArtifacts(
        entities=[], tokens=no_tokens, tokens_indices=[], lemmas=[], nlp_engine=nlp_engine, language=language
    )
