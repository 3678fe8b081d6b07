"""Person records packed for scale: a million-row roster makes a million records.

`PackedRecords` holds each record in 14 bytes (a 2-byte index into the file's few entity-type
combinations and the 12 bytes of its 24-hex-digit keyed fingerprint; zeros for no key) instead of
a Python object and a string (~130 bytes). It is an immutable `Sequence[PersonRecord]`, so code
that reads records one by one works unchanged; `score` counts distinct people straight from the
packed keys (numpy for large files). Only the worker builds them, where every key is a 24-hex-digit
fingerprint; records built by hand (tests) stay plain tuples.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from pii_audit.model import PersonRecord, type_set

KEY_BYTES = 12
_NO_KEY = bytes(KEY_BYTES)


class PackedRecords(Sequence[PersonRecord]):
    __slots__ = ("types", "kinds", "keys")

    def __init__(self, types: tuple[frozenset[str], ...], kinds: array[int], keys: bytes) -> None:
        self.types = types  # the distinct entity-type sets
        self.kinds = kinds  # per record: its index in `types` (array 'H')
        self.keys = keys  # per record: KEY_BYTES of its key, zeros for none

    @classmethod
    def pack(cls, records: Iterable[PersonRecord]) -> PackedRecords:
        builder = RecordsBuilder()
        for r in records:
            builder.append(r)
        return builder.build()

    def key_at(self, index: int) -> str | None:
        raw = self.keys[index * KEY_BYTES : (index + 1) * KEY_BYTES]
        return None if raw == _NO_KEY else raw.hex()

    def __len__(self) -> int:
        return len(self.kinds)

    @overload
    def __getitem__(self, index: int) -> PersonRecord: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PersonRecord]: ...
    def __getitem__(self, index: int | slice) -> PersonRecord | Sequence[PersonRecord]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return PersonRecord(self.types[self.kinds[index]], self.key_at(index))

    def __iter__(self) -> Iterator[PersonRecord]:
        for i in range(len(self)):
            yield PersonRecord(self.types[self.kinds[i]], self.key_at(i))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.types, bytes(self.kinds), self.keys))

    def __repr__(self) -> str:
        return f"PackedRecords({len(self)} records)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedRecords, (self.types, self.kinds, self.keys))


class RecordsBuilder:
    """Appends records as a file is read; `build()` packs them."""

    def __init__(self) -> None:
        self._index: dict[frozenset[str], int] = {}
        self._types: list[frozenset[str]] = []
        self._kinds = array("H")
        self._keys = bytearray()

    def append(self, record: PersonRecord) -> None:
        kind = self._index.get(record.entity_types)
        if kind is None:
            kind = self._index[record.entity_types] = len(self._types)
            self._types.append(type_set(record.entity_types))
        self._kinds.append(kind)
        key = record.key
        if key is None:
            self._keys += _NO_KEY
        else:
            raw = bytes.fromhex(key)
            if len(raw) != KEY_BYTES:
                raise ValueError("a packed record key is a 24-hex-digit fingerprint")
            self._keys += raw

    def __len__(self) -> int:
        return len(self._kinds)

    def build(self) -> PackedRecords:
        return PackedRecords(tuple(self._types), array("H", self._kinds), bytes(self._keys))
