"""A spaCy tokenizer whose tokens are Kiwi morphemes, so Korean particles come off words
(`주민등록번호는` -> `주민등록번호` + `는`) and Presidio's token-based logic sees Korean words.

Kiwi contracts some morphemes (`입니다` -> `이` + `ㅂ니다`) into overlapping spans; spaCy needs
tokens that tile the text exactly, so overlapping morphemes are skipped and every token is the
literal slice of the input. Kiwi's POS tag becomes `tag_`, its normalised form `lemma_`.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from pii_audit.detect.kiwi_server import model


def kiwi() -> Any:
    """This process's Kiwi (`kiwi_server.model`): the scan's Kiwi server while one runs, else one
    built here on the first Korean text. Its model (about 500 MB, seconds to load) is built on the
    first tokenisation, with the file's deadline paused. A scan that never reaches Korean text (a
    zip bomb, English only) never loads it in its own process, and a deadline never interrupts
    the loading (which would leave every later file to pay for it again)."""
    return model()


class KiwiTokenizer:
    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        lemmas: list[str] = []
        pos = 0

        def gap(until: int) -> None:
            between = text[pos:until]
            if not between:
                return
            if between == " " and words and not spaces[-1]:
                spaces[-1] = True
                return
            words.append(between)
            spaces.append(False)
            tags.append("_SP")
            lemmas.append(between)

        for token in kiwi().tokenize(text):
            start, end = token.start, token.start + token.len
            if token.len <= 0 or start < pos or end > len(text):
                continue
            gap(start)
            words.append(text[start:end])
            spaces.append(False)
            tags.append(token.tag)
            lemmas.append(token.form)
            pos = end
        gap(len(text))
        if "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) != text:
            # Kiwi normalised something we cannot map back; fall back to whitespace tokens.
            return Doc(self.vocab, words=text.split(" ") if text else [], spaces=None)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for tok, tag, lemma in zip(doc, tags, lemmas, strict=True):
            tok.tag_ = tag
            tok.lemma_ = lemma
        return doc

    # spaCy serialises tokenizers with the pipeline; this one has no state to save.
    def to_disk(self, *_: Any, **__: Any) -> None:
        return None

    def from_disk(self, *_: Any, **__: Any) -> KiwiTokenizer:
        return self

    def to_bytes(self, **__: Any) -> bytes:
        return b""

    def from_bytes(self, *_: Any, **__: Any) -> KiwiTokenizer:
        return self


@registry.tokenizers("pii_audit.KiwiTokenizer.v1")
def create_kiwi_tokenizer() -> Any:
    def make(nlp: Language) -> KiwiTokenizer:
        return KiwiTokenizer(nlp.vocab)

    return make


def korean_pipeline() -> Language:
    """A blank Korean pipeline tokenised by Kiwi (no statistical components)."""
    import spacy

    return spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "pii_audit.KiwiTokenizer.v1"}}})
