#!/usr/bin/env python3
"""Per-genre accuracy on the hand-written test documents in tests/documents/.

usage: python benchmarks/genres.py [--show-errors] [--min-score X] [GENRE ...]

Each genre is a folder `tests/documents/<lang>_<genre>/` of documents written the way people write
them, with the personal data marked inline as `⟦T:value⟧` (T: P person, D birth date, A address,
R RRN, F FRN, S passport, L driver licence, T phone, E e-mail). Files named `neg_*` are hard
negatives and carry no marks. The documents are rendered without the marks into a temporary
folder (same names, so CSV stays CSV), scanned with pii-audit (the Python API, --reveal semantics)
and scored with the project's micro-F1 rules (the same as ../shared/eval/score.py, restated here so
the repository does not need it): each distinct (file, type, normalised value) counts once; values
are case-folded without whitespace, hyphens and dots; birth dates are compared as calendar dates;
a PERSON or ADDRESS matches when one contains the other and the shorter is at least 60% of the
longer. Prints precision, recall and F1 per genre and per type, the micro-F1 over all genres and
the findings on negative files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pii_audit.detect.engine import Detector

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DOCUMENTS = Path(__file__).resolve().parents[1] / "tests" / "documents"
CODES = {
    "P": "PERSON",
    "D": "DATE_OF_BIRTH",
    "A": "ADDRESS",
    "R": "KR_RRN",
    "F": "KR_FRN",
    "S": "KR_PASSPORT",
    "L": "KR_DRIVER_LICENSE",
    "T": "PHONE_NUMBER",
    "E": "EMAIL_ADDRESS",
}
TYPES = tuple(CODES.values())
FUZZY = {"PERSON", "ADDRESS"}
MARK = re.compile(r"⟦([A-Z]):([^⟧]+)⟧")
_STRIP = re.compile(r"[\s\-.\u2010-\u2015\u2212\u00a0\u3000]+")


# --- documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    genre: str
    name: str
    text: str  # without the marks
    labels: frozenset[tuple[str, str]]  # (type, value as written)

    @property
    def negative(self) -> bool:
        return self.name.startswith("neg_")


def parse(genre: str, name: str, marked: str) -> Document:
    labels: set[tuple[str, str]] = set()

    def unmark(m: re.Match[str]) -> str:
        if m[1] not in CODES:
            raise ValueError(f"{genre}/{name}: unknown mark {m[1]!r}")
        labels.add((CODES[m[1]], m[2]))
        return m[2]

    text = MARK.sub(unmark, marked)
    if "⟦" in text or "⟧" in text:
        raise ValueError(f"{genre}/{name}: unbalanced mark")
    return Document(genre, name, text, frozenset(labels))


def load(root: Path = DOCUMENTS, genres: Iterable[str] = ()) -> list[Document]:
    wanted = set(genres)
    docs = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and "_" in p.name):
        if wanted and folder.name not in wanted:
            continue
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            docs.append(parse(folder.name, path.name, path.read_text(encoding="utf-8")))
    return docs


# --- scoring (the rules of ../shared/eval/score.py) ------------------------------------------


def _date(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).strftime("%Y%m%d")
    except ValueError:
        return None


def _yy(y: str) -> int:
    n = int(y)
    return n + (2000 if n <= 30 else 1900) if n < 100 else n


def canon_date(s: str) -> str | None:
    s = re.sub(r"(?:[T ]00:00(?::00(?:\.0+)?)?)$", "", s.strip()).strip()
    s = re.sub(r"생$", "", s).strip()
    if m := re.fullmatch(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일", s):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?", s):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{2})\s*[.\-]\s*(\d{1,2})\s*[.\-]\s*(\d{1,2})\.?", s):
        return _date(_yy(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s):
        return _date(int(m[3]), int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    return None


def norm(kind: str, value: str) -> str:
    if kind == "DATE_OF_BIRTH":
        c = canon_date(value)
        if c:
            return "D:" + c
        value = re.sub(r"생$", "", value.strip())
    return _STRIP.sub("", value.casefold())


def _matches(kind: str, a: str, b: str) -> bool:
    if a == b:
        return True
    if kind not in FUZZY or not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return short in long_ and len(short) >= 0.6 * len(long_)


@dataclass
class Tally:
    tp_pred: int = 0  # predictions that match some truth value
    pred: int = 0
    tp_truth: int = 0  # truth values matched by some prediction
    truth: int = 0
    negatives_fp: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.tp_pred += other.tp_pred
        self.pred += other.pred
        self.tp_truth += other.tp_truth
        self.truth += other.truth
        self.negatives_fp += other.negatives_fp
        self.errors += other.errors

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp_truth / self.truth if self.truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_file(doc: Document, found: Iterable[tuple[str, str]]) -> dict[str, Tally]:
    """Tallies per type for one document and its findings ((type, raw text) pairs)."""
    out: dict[str, Tally] = {}
    for kind in TYPES:
        truth = {norm(kind, v) for t, v in doc.labels if t == kind} - {""}
        pred = {norm(kind, v) for t, v in found if t == kind} - {""}
        tally = Tally(pred=len(pred), truth=len(truth))
        for p in sorted(pred):
            if any(_matches(kind, p, t) for t in truth):
                tally.tp_pred += 1
            else:
                tally.errors.append(f"FP {doc.genre}/{doc.name} {kind} {p}")
        for t in sorted(truth):
            if any(_matches(kind, p, t) for p in pred):
                tally.tp_truth += 1
            else:
                tally.errors.append(f"FN {doc.genre}/{doc.name} {kind} {t}")
        if doc.negative:
            tally.negatives_fp = len(pred)
        out[kind] = tally
    return out


# --- running ---------------------------------------------------------------------------------


def scan(
    docs: list[Document], min_score: float = 0.0, detector: Detector | None = None
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(genre, name) -> findings (type, raw text) of pii-audit on the rendered documents (with
    `detector` when given: the tests share theirs)."""
    from pii_audit.audit import Auditor
    from pii_audit.fingerprint import ephemeral_key
    from pii_audit.model import Status
    from pii_audit.options import AuditOptions

    with tempfile.TemporaryDirectory(prefix="pii-audit-genres-") as tmp:
        root = Path(tmp)
        for doc in docs:
            (root / doc.genre).mkdir(exist_ok=True)
            (root / doc.genre / doc.name).write_text(doc.text, encoding="utf-8")
        factory = None if detector is None else (lambda _opts: detector)
        run = Auditor(AuditOptions(reveal=True, key=ephemeral_key()), detector_factory=factory).run([str(root)])
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for exposure in run.files:
        result = exposure.result
        genre, _, name = result.ref.path.partition("/")
        if result.status is not Status.SCANNED:
            raise RuntimeError(f"{result.ref.path}: {result.status.value} ({result.reason})")
        out[(genre, name)] = [
            (f.entity_type, f.text or "") for f in result.findings if f.score >= min_score and f.text is not None
        ]
    return out


def evaluate(
    docs: list[Document], min_score: float = 0.0, detector: Detector | None = None
) -> dict[str, dict[str, Tally]]:
    """genre -> type (and "ALL") -> tally."""
    found = scan(docs, min_score, detector)
    by_genre: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for doc in docs:
        for kind, tally in score_file(doc, found.get((doc.genre, doc.name), [])).items():
            by_genre[doc.genre][kind].add(tally)
            by_genre[doc.genre]["ALL"].add(tally)
    return {g: dict(t) for g, t in by_genre.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("genres", nargs="*", help="folder names (default: all)")
    ap.add_argument("--show-errors", action="store_true", help="print every missed and wrong value")
    ap.add_argument("--min-score", type=float, default=0.0, help="drop findings below this confidence")
    args = ap.parse_args(argv)
    docs = load(genres=args.genres)
    results = evaluate(docs, args.min_score)
    total = Tally()
    per_type: dict[str, Tally] = defaultdict(Tally)
    print(f"{'genre':<14} {'docs':>4} {'P':>6} {'R':>6} {'F1':>6} {'neg FP':>6}")
    for genre in sorted(results):
        t = results[genre]["ALL"]
        n = sum(1 for d in docs if d.genre == genre)
        print(f"{genre:<14} {n:>4} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.negatives_fp:>6}")
        total.add(t)
        for kind in TYPES:
            per_type[kind].add(results[genre][kind])
    print()
    for kind in TYPES:
        t = per_type[kind]
        if t.truth or t.pred:
            print(f"{kind:<18} P={t.precision:.3f} R={t.recall:.3f} F1={t.f1:.3f} (truth {t.truth})")
    if args.show_errors:
        print()
        print("\n".join(total.errors))
    print(
        f"micro_f1={total.f1:.3f} precision={total.precision:.3f} recall={total.recall:.3f} "
        f"negatives_fp={total.negatives_fp} docs={len(docs)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
