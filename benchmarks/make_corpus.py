#!/usr/bin/env python3
"""Write a labelled synthetic PII corpus in the devset format.

usage: python benchmarks/make_corpus.py OUTDIR [--seed N] [--scale K]

OUTDIR/docs/... holds the documents, OUTDIR/truth.json the labels
({"files": {rel: {"exposure": n, "negative": bool, "entities": [{"type", "value", "tag"?}]}}}).
--scale K multiplies the number of documents (K=1 ≈ 0.5 MB, K=10 ≈ 5 MB). Every value is synthetic.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_synth.corpus import build_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args(argv)
    if args.scale < 1:
        ap.error("--scale must be >= 1")
    t0 = time.perf_counter()
    stats = build_corpus(args.outdir, seed=args.seed, scale=args.scale)
    for line in stats.lines():
        print(line)
    print(f"wrote {args.outdir / 'truth.json'} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
