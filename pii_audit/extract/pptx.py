"""PPTX through python-pptx: per slide, in shape order, the text of every text frame (inside groups
too) as a PROSE segment, tables as ROW segments (see tables.table_segments; cells `T{t}R{r}C{c}`,
tables numbered per slide), then the speaker notes. `location.page` is the 1-based slide number.
A Strict Open XML presentation is made transitional first (ooxml.py)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.exc import PackageNotFoundError
from pptx.shapes.group import GroupShape

from pii_audit.errors import CorruptFile
from pii_audit.extract.empty import no_text_note
from pii_audit.extract.ooxml import transitional
from pii_audit.extract.tables import Cells, table_segments
from pii_audit.model import Extraction, Location, Segment


class PptxExtractor:
    format = "pptx"

    def extract(self, data: bytes) -> Extraction:
        try:
            presentation = Presentation(io.BytesIO(transitional(data, "ppt/presentation.xml")))
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
            raise CorruptFile(f"pptx: {type(exc).__name__}") from None
        segments: list[Segment] = []
        for number, slide in enumerate(presentation.slides, start=1):
            location = Location(page=number)
            tables = 0
            for shape in _shapes(slide.shapes):
                if shape.has_text_frame:
                    _prose(segments, shape.text_frame, location)
                if getattr(shape, "has_table", False):
                    tables += 1
                    rows = [(r, _cells(row)) for r, row in enumerate(shape.table.rows, start=1)]
                    segments.extend(table_segments(rows, _refs(tables), location))
            if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
                _prose(segments, slide.notes_slide.notes_text_frame, location)
        notes: tuple[str, ...] = ()
        if not segments:
            slides = len(presentation.slides)
            shapes = (shape for slide in presentation.slides for shape in _shapes(slide.shapes))
            pictures = sum(1 for shape in shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE)
            where = f"{slides} slide{'s' if slides != 1 else ''}"
            notes = (no_text_note(where, {"picture": pictures}),)
        return Extraction(format=self.format, segments=tuple(segments), notes=notes)


def _refs(t: int) -> Callable[[int, int], str]:
    return lambda r, c: f"T{t}R{r}C{c}"


def _shapes(shapes: Any) -> Iterator[Any]:
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _prose(segments: list[Segment], frame: Any, location: Location) -> None:
    lines = [p.text for p in frame.paragraphs if p.text.strip()]
    if lines:
        segments.append(Segment(text="\n".join(lines), location=location))


def _cells(row: Any) -> Cells:
    out: Cells = []
    for c, cell in enumerate(row.cells, start=1):
        if not cell.is_spanned:  # the part of a merged cell that is covered by another
            out.append((c, cell.text.strip()))
    return out
