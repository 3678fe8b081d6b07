"""No silent empties: a document that yields no text is reported with a note saying what it holds
instead (images, drawings, empty tables, nothing at all), never as a clean scan of nothing.

The per-format readers count what they met but could not read as text and call `no_text_note`;
`DOCUMENT_FORMATS` is what the scan checks when a streamed reader (xlsx) gave no segment at all.
"""

from __future__ import annotations

from collections.abc import Mapping

DOCUMENT_FORMATS = frozenset(
    {"docx", "xlsx", "pptx", "xls", "odt", "ods", "odp", "odf", "hwp", "hwpx", "hwp3", "rtf", "pdf"}
)


def no_text_note(where: str, held: Mapping[str, int]) -> str:
    """`no text found in <where>: 2 images, 1 table with empty cells` (or `: it is empty`)."""
    parts = [f"{count} {_plural(thing, count)}" for thing, count in held.items() if count]
    return f"no text found in {where}: " + (", ".join(parts) if parts else "it holds no text-bearing content")


def _plural(thing: str, count: int) -> str:
    if count == 1:
        return thing
    head, _, tail = thing.partition(" ")
    head = head[:-1] + "ies" if head.endswith("y") else head + "s"
    return f"{head} {tail}".strip()


def empty_file_note(fmt: str) -> str:
    """For a streamed document whose reader gave nothing (the scan adds it)."""
    return f"no text found in this {fmt} file: no cell, shape, note or header text"
