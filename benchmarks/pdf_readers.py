"""Which PDF text reader keeps table cells apart, and how fast: pypdf (what pii-audit uses) against
pypdfium2 and pdfminer.six when they are installed (they are not dependencies; install them into a
scratch environment to compare).

    .venv/bin/python benchmarks/pdf_readers.py [PDF ...]

- Cells: one page of a roster drawn as a spreadsheet prints it (every cell its own text object at an
  absolute position, no space characters), for gaps of 0-3 points between cells; a reader "keeps
  the cells apart" when every cell value comes out as whitespace-separated text.
- Speed: pages per second on a generated 300-page Korean document, and on the PDFs given.
- Agreement: for the PDFs given, the share of the other readers' character 3-grams found in pypdf's text.
"""

from __future__ import annotations

import io
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from tests.extract.pdfgen import make_cells_pdf, make_pdf  # noqa: E402

Reader = Callable[[bytes], str]
ROWS = [
    ["성명", "주민등록번호", "주소", "연락처"],
    ["홍길동", "800101-1234567", "서울시 강남구 테헤란로 1", "010-1234-5678"],
]


def read_pypdf(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def readers() -> dict[str, Reader]:
    found: dict[str, Reader] = {"pypdf": read_pypdf}
    try:
        import pypdfium2

        def read_pdfium(data: bytes) -> str:
            document = pypdfium2.PdfDocument(data)
            return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))

        found["pypdfium2"] = read_pdfium
    except ImportError:
        print("pypdfium2 not installed: not compared")
    try:
        from pdfminer.high_level import extract_text

        found["pdfminer.six"] = lambda data: str(extract_text(io.BytesIO(data)))
    except ImportError:
        print("pdfminer.six not installed: not compared")
    return found


def cells_apart(text: str) -> bool:
    tokens = " ".join(text.split())
    return all(f" {cell} " in f" {tokens} " for row in ROWS for cell in row)


def grams(text: str) -> set[str]:
    text = re.sub(r"[\W_]+", "", text)
    return {text[i : i + 3] for i in range(len(text) - 2)}


def main(paths: list[str]) -> None:
    found = readers()
    print("\ncells kept apart, by gap between cells (points):")
    gaps = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]
    print(f"{'reader':14}" + "".join(f"{g:>6}" for g in gaps))
    for name, read in found.items():
        marks = ["yes" if cells_apart(read(make_cells_pdf(ROWS, gap=g))) else "no" for g in gaps]
        print(f"{name:14}" + "".join(f"{m:>6}" for m in marks))

    lines = [
        f"{i}번 신청인 홍길동은 서울시 강남구 테헤란로 {i}에 거주하며 연락처는 010-1234-{i:04d}이다." for i in range(40)
    ]
    big = make_pdf([lines] * 300)
    print("\nspeed on a generated 300-page document:")
    for name, read in found.items():
        started = time.perf_counter()
        read(big)
        seconds = time.perf_counter() - started
        print(f"{name:14}{300 / seconds:10.0f} pages/s")

    for path in paths:
        data = Path(path).read_bytes()
        texts: dict[str, str] = {}
        print(f"\n{path}:")
        for name, read in found.items():
            started = time.perf_counter()
            texts[name] = read(data)
            print(f"{name:14}{len(texts[name]):8} chars {time.perf_counter() - started:8.3f} s")
        ours = grams(texts["pypdf"])
        for name, text in texts.items():
            if name != "pypdf" and (theirs := grams(text)):
                print(f"pypdf covers {len(theirs & ours) / len(theirs):.3f} of {name}'s 3-grams")


if __name__ == "__main__":
    main(sys.argv[1:])
