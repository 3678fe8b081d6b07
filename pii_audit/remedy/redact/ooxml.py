"""Documents whose text lives in XML runs inside a zip (docx, pptx, hwpx). Values are masked
across the runs of each paragraph; every other part of the package, and every element and
attribute of the rewritten parts, stays as it was (the members keep their order, names,
compression and times)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from lxml import etree

from pii_audit.errors import RemedyError
from pii_audit.remedy.redact.values import Masker

FORMATS = ("docx", "pptx", "hwpx")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"

# format -> (parts to rewrite, paragraph tag, text tags: Word keeps tracked deletions in w:delText)
_PARTS: dict[str, tuple[re.Pattern[str], str, tuple[str, ...]]] = {
    "docx": (
        re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"),
        f"{{{_W}}}p",
        (f"{{{_W}}}t", f"{{{_W}}}delText"),
    ),
    "pptx": (re.compile(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml"), f"{{{_A}}}p", (f"{{{_A}}}t",)),
    "hwpx": (re.compile(r"Contents/section\d+\.xml"), f"{{{_HP}}}p", (f"{{{_HP}}}t",)),
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False)


def _slots(t: etree._Element) -> list[tuple[etree._Element, str]]:
    """Where a text element keeps its characters: its text, and the tails of its children (Hangul
    puts tabs and line breaks inside `hp:t`)."""
    return [(t, "text")] + [(child, "tail") for child in t]


def _rewrite_part(xml: bytes, para: str, text: tuple[str, ...], masker: Masker) -> bytes | None:
    root = etree.fromstring(xml, _PARSER)
    groups: dict[int, list[tuple[etree._Element, str]]] = {}
    owners: dict[int, etree._Element] = {}
    for t in root.iter(*text):
        p = next((a for a in t.iterancestors(para)), None)
        key = id(p) if p is not None else id(t)
        owners[key] = p if p is not None else t
        groups.setdefault(key, []).extend(_slots(t))
    changed = False
    for slots in groups.values():
        texts = [getattr(node, attr) or "" for node, attr in slots]
        new = masker.apply_runs(texts)
        for (node, attr), old, value in zip(slots, texts, new, strict=True):
            if value != old:
                setattr(node, attr, value)
                if attr == "text" and value != value.strip() and node.tag in (f"{{{_W}}}t", f"{{{_W}}}delText"):
                    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                changed = True
    if not changed:
        return None
    standalone = True if b'standalone="yes"' in xml[:200] else None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=standalone)


def rewrite_format(kind: str) -> Callable[[bytes, Callable[[Callable[[str], bool]], Masker]], bytes]:
    parts, para, text = _PARTS[kind]

    def rewrite(data: bytes, masker_for: Callable[[Callable[[str], bool]], Masker]) -> bytes:
        masker = masker_for(lambda s: True)
        out = io.BytesIO()
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
                for info in src.infolist():
                    content = src.read(info)
                    if parts.fullmatch(info.filename):
                        new = _rewrite_part(content, para, text, masker)
                        content = new if new is not None else content
                    dst.writestr(info, content)
        except (zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise RemedyError(f"cannot rewrite the {kind} package ({type(exc).__name__})") from None
        return out.getvalue()

    return rewrite
