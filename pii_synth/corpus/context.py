"""Shared state of one corpus build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pii_synth.labels import LabelledFile
from pii_synth.persons import Synth


@dataclass
class Ctx:
    docs: Path  # OUTDIR/docs
    synth: Synth
    scale: int = 1
    files: list[LabelledFile] = field(default_factory=list)

    def new(self, rel: str, *, negative: bool = False) -> tuple[LabelledFile, Path]:
        if any(f.path == rel for f in self.files):
            raise ValueError(f"duplicate corpus path {rel}")
        lf = LabelledFile(rel, negative=negative)
        self.files.append(lf)
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return lf, path


def has_batchim(word: str) -> bool:
    """Whether the last Hangul syllable of ``word`` ends in a consonant (은/이 vs 는/가)."""
    code = ord(word[-1]) - 0xAC00
    return 0 <= code < 11172 and code % 28 != 0


def josa(word: str, pair: str) -> str:
    """Attach the right particle: ``josa("철수", "은는")`` → ``철수는``."""
    return word + (pair[0] if has_batchim(word) else pair[1])


def josa_ro(word: str) -> str:
    """``로`` after a vowel or ㄹ, ``으로`` after other consonants; digits are read aloud (``203호로``)."""
    last = word.rstrip(")")[-1]
    if last.isdigit():
        return word + ("으로" if last in "0136" else "로")
    code = ord(last) - 0xAC00
    if 0 <= code < 11172 and code % 28 not in (0, 8):
        return word + "으로"
    return word + "로"
