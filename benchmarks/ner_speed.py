#!/usr/bin/env python3
"""How fast the installed spaCy runs the English NER the Detector loads, on the English documents
of tests/documents (every non-empty line a text, as the Detector sends lines and their neighbours).

usage: python benchmarks/ner_speed.py [--repeat N] [--rounds K]

Prints the spaCy version, the characters read, the CPU seconds of each round (`nlp.pipe` over all
lines, `--repeat` times) and the entities found, with a digest of them: two installs that find the
same entities print the same digest, so a version change can be checked for speed and sameness
at once. Also says whether the parser's state accessor `StateC::B_` calls `PyGILState_Ensure`
(read with objdump where it is installed): spaCy 3.8.8 and later wheels do, twice per call, with
the GIL released around the NER loop. Their NER ran 1.9x slower on these lines and 2.2x on the
share's, with the same entities; pyproject.toml keeps spaCy below 3.8.8 where 3.8.7 has wheels.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout

from benchmarks.genres import load  # noqa: E402


def english_lines(repeat: int) -> list[str]:
    docs = [d for d in load() if d.genre.startswith("en_")]
    lines = [line for d in docs for line in d.text.splitlines() if line.strip()]
    return lines * repeat


def takes_gil_in_state_accessor() -> str:
    """'yes'/'no' from the disassembly of spaCy's stateclass extension, or why it is unknown."""
    import spacy.pipeline._parser_internals.stateclass as stateclass

    objdump = shutil.which("objdump")
    if objdump is None:
        return "unknown (no objdump)"
    listing = subprocess.run(
        [objdump, "-d", "--no-show-raw-insn", "-C", str(stateclass.__file__)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    inside = False
    for line in listing.splitlines():
        if line.endswith(">:"):
            inside = "StateC::B_(int) const>:" in line
        elif inside and "PyGILState_Ensure" in line:
            return "yes"
    return "no"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20, help="copies of the lines in one round (default 20)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)

    import spacy

    from pii_audit.detect.engine import _english_ner
    from pii_audit.options import EN_MODEL

    nlp = _english_ner(EN_MODEL)
    lines = english_lines(args.repeat)
    chars = sum(map(len, lines))
    print(f"spaCy {spacy.__version__}, model {EN_MODEL}: {len(lines)} lines, {chars / 1e6:.2f} M characters")
    print(f"StateC::B_ calls PyGILState_Ensure: {takes_gil_in_state_accessor()}")
    for round_ in range(1, args.rounds + 1):
        started = time.process_time()
        entities = [(e.start_char, e.end_char, e.label_) for doc in nlp.pipe(lines) for e in doc.ents]
        seconds = time.process_time() - started
        digest = hashlib.sha256(repr(entities).encode()).hexdigest()[:12]
        print(
            f"round {round_}: {seconds:.2f} CPU s, {chars / seconds / 1e3:.0f} k characters/s,"
            f" {len(entities)} entities (digest {digest})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
