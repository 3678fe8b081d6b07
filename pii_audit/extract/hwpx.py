"""HWPX (OWPML, KS X 6101): a zip whose `Contents/section<N>.xml` hold the body.

A paragraph `hp:p` holds runs `hp:run` whose text is in `hp:t` (with `hp:tab`/`hp:lineBreak` inside);
tables (`hp:tbl` → `hp:tr` → `hp:tc`, address in `hp:cellAddr`), text boxes, notes, headers and
footers, memos and hidden comments sit inside a run and hold paragraphs of their own in `hp:subList`;
a table's caption (`hp:caption`) is read before its rows; ruby text (덧말, `hp:dutmal`) follows its
base text in parentheses. Segments and locations as in xmldoc.py: table text comes out once, as rows,
never again as prose. Member names with backslashes (`Contents\\section0.xml`) are read as with `/`.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections import Counter
from xml.etree.ElementTree import Element

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.empty import no_text_note
from pii_audit.extract.xmldoc import DocumentWalker, local, pruned, read_xml, section_order
from pii_audit.model import Extraction

_CHARS = {"tab": "\t", "lineBreak": "\n", "nbSpace": "\u00a0", "fwSpace": " ", "hyphen": "-"}
_STOP = frozenset({"subList", "tbl", "p", "t", "dutmal"})
_HELD = {"pic": "image", "ole": "embedded OLE object", "tbl": "table with empty cells", "rect": "drawing object",
         "ellipse": "drawing object", "line": "drawing object", "polygon": "drawing object", "curve": "drawing object",
         "arc": "drawing object", "container": "drawing object", "equation": "equation", "chart": "chart"}  # fmt: skip
_RUBY = ("mainText", "subText")


def _run_text(t: Element) -> str:
    out = [t.text or ""]
    for child in t:
        out.append(_CHARS.get(local(child), ""))
        out.append(child.tail or "")
    return "".join(out)


def _plain(element: Element | None) -> str:
    """The text of a ruby part, written as character data or as `hp:t` runs."""
    if element is None:
        return ""
    runs = [_run_text(t) for t in element.iter() if local(t) == "t"]
    return ("".join(runs) if runs else element.text or "").strip()


class _Hwpx:
    paragraph = frozenset({"p"})
    table = "tbl"
    nested = frozenset({"subList"})

    def text(self, paragraph: Element) -> str:
        out: list[str] = []
        for element in pruned(paragraph, _STOP):
            name = local(element)
            if name == "t":
                out.append(_run_text(element))
            elif name == "dutmal":
                main, sub = (_plain(next((e for e in element if local(e) == part), None)) for part in _RUBY)
                # Some writers repeat the base text in the run before it: then only the ruby is added.
                repeated = bool(main) and "".join(out).endswith(main)
                out.append(("" if repeated else main) + (f"({sub})" if sub else ""))
        return "".join(out)

    def captions(self, table: Element) -> list[Element]:
        return [e for caption in table if local(caption) == "caption" for e in caption if local(e) == "subList"]

    def rows(self, table: Element) -> list[tuple[int, list[tuple[int, Element]]]]:
        rows: dict[int, list[tuple[int, Element]]] = {}
        for r, tr in enumerate((e for e in table if local(e) == "tr"), start=1):
            for c, tc in enumerate((e for e in tr if local(e) == "tc"), start=1):
                row, column = r, c
                address = next((e for e in tc if local(e) == "cellAddr"), None)
                if address is not None:
                    with contextlib.suppress(ValueError):
                        row, column = int(address.get("rowAddr", "")) + 1, int(address.get("colAddr", "")) + 1
                content = next((e for e in tc if local(e) == "subList"), tc)
                rows.setdefault(row, []).append((column, content))
        return [(r, sorted(cells, key=lambda cell: cell[0])) for r, cells in sorted(rows.items())]


class HwpxExtractor:
    format = "hwpx"

    def extract(self, data: bytes) -> Extraction:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise CorruptFile(f"hwpx: {type(exc).__name__}") from None
        with archive:
            # Some writers name members with Windows separators (`Contents\section0.xml`).
            names = {name.replace("\\", "/"): name for name in archive.namelist()}
            manifest = names.get("META-INF/manifest.xml")
            if manifest is not None and b"encryption-data" in archive.read(manifest):
                raise EncryptedFile("encrypted: password-protected HWPX")
            sections = section_order(list(names), "Contents/section", ".xml")
            if not sections:
                raise CorruptFile("hwpx: no Contents/section*.xml")
            walker = DocumentWalker(_Hwpx(), self.format)
            held: Counter[str] = Counter()
            for name in sections:
                root = read_xml(archive, names[name], self.format)
                walker.body(root)
                if not walker.segments:  # only an empty document needs the census
                    held.update(_HELD.get(local(e), "") for e in root.iter())
        notes: tuple[str, ...] = ()
        if not walker.segments:
            where = f"{len(sections)} section{'s' if len(sections) != 1 else ''}"
            notes = (no_text_note(where, {k: v for k, v in held.items() if k}),)
        return Extraction(format=self.format, segments=tuple(walker.segments), notes=notes)
