"""JSON and JSON Lines: records are objects.

Each object with scalar values becomes one ROW segment: its scalars, those of nested objects (labelled
by key path, `address.city`) and of scalar arrays, labelled by key; each Field's cell is the JSON path
of the value (`$[3].name`). Arrays of objects give one record per object. Escapes (`\\uXXXX`) are
decoded by the parser. `location.line` is the line of a JSON Lines record. Nesting deeper than
`MAX_DEPTH` is refused (CorruptFile); text that is not JSON after all is read as plain text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from pii_audit.errors import CorruptFile
from pii_audit.extract.base import row_segment
from pii_audit.extract.encoding import decode_text
from pii_audit.extract.text import TextExtractor
from pii_audit.model import Extraction, Location, Segment

MAX_DEPTH = 200


class JsonExtractor:
    format = "json"

    def extract(self, data: bytes) -> Extraction:
        text, _ = decode_text(data)
        try:
            documents = _documents(text)
        except RecursionError:
            raise CorruptFile(f"json: nested deeper than {MAX_DEPTH}") from None
        except ValueError:
            fallback = TextExtractor().extract(data)
            return Extraction(format="text", segments=fallback.segments, notes=("not valid JSON: read as text",))
        segments: list[Segment] = []
        for line, document in documents:
            _check_depth(document)
            segments.extend(_records(document, Location(line=line)))
        return Extraction(format=self.format, segments=tuple(segments))


def _documents(text: str) -> list[tuple[int | None, object]]:
    """One document, or one per line (JSON Lines)."""
    try:
        return [(None, json.loads(text))]
    except json.JSONDecodeError as whole:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if len(lines) < 2:
            raise whole from None
        return [(n, json.loads(line)) for n, line in lines]


def _check_depth(document: object) -> None:
    """Arrays and objects nested more than MAX_DEPTH levels (the outermost is level 1)."""
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH and isinstance(value, dict | list):
            raise CorruptFile(f"json: nested deeper than {MAX_DEPTH}")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _records(document: object, location: Location) -> Iterator[Segment]:
    """Depth-first, in document order: each object (or array of scalars) that holds scalars is a record."""
    todo: list[tuple[object, str]] = [(document, "$")]
    while todo:
        value, path = todo.pop()
        children: list[tuple[object, str]] = []
        fields: list[tuple[str | None, str, str]] = []  # label, value, path
        if isinstance(value, dict):
            _flatten(value, path, "", fields, children)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict | list):
                    children.append((item, f"{path}[{i}]"))
                elif item is not None:
                    fields.append((None, _render(item), f"{path}[{i}]"))
        elif value is not None:
            fields.append((None, _render(value), path))
        if fields:
            segment = row_segment([f[0] for f in fields], [f[1] for f in fields], location, [f[2] for f in fields])
            if segment is not None:
                yield segment
        todo.extend(reversed(children))


def _flatten(
    obj: dict[str, object],
    path: str,
    prefix: str,
    fields: list[tuple[str | None, str, str]],
    children: list[tuple[object, str]],
) -> None:
    """Scalars of an object and of its nested objects into `fields`; arrays holding objects into
    `children` (records of their own)."""
    for key, value in obj.items():
        label = f"{prefix}{key}"
        here = f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key, ensure_ascii=False)}]"
        if isinstance(value, dict):
            _flatten(value, here, f"{label}.", fields, children)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                fields.extend((label, _render(v), f"{here}[{i}]") for i, v in enumerate(value) if v is not None)
            else:
                children.append((value, here))
        elif value is not None:
            fields.append((label, _render(value), here))


def _render(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)
