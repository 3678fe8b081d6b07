"""Every new format is sniffed by content, and damaged copies fail only as ExtractError values."""

import random
from collections.abc import Callable

import pytest

from pii_audit.errors import ExtractError
from pii_audit.extract.registry import extract, sniff

from .formats import (
    docx_extras_bytes,
    encrypted_xls_bytes,
    html_bytes,
    hwp_bytes,
    hwpx_bytes,
    json_bytes,
    jsonl_bytes,
    ods_bytes,
    odt_bytes,
    pptx_bytes,
    rtf_bytes,
    xls_bytes,
    xml_bytes,
)
from .hwp_writer import compound_file

BUILDERS: dict[str, Callable[[], bytes]] = {
    "hwp": hwp_bytes,
    "hwpx": hwpx_bytes,
    "xls": xls_bytes,
    "pptx": pptx_bytes,
    "odt": odt_bytes,
    "ods": ods_bytes,
    "rtf": rtf_bytes,
    "html": html_bytes,
    "json": json_bytes,
    "xml": xml_bytes,
    "docx": docx_extras_bytes,
}
_CACHE: dict[str, bytes] = {}


def _data(kind: str) -> bytes:
    if kind not in _CACHE:
        _CACHE[kind] = BUILDERS[kind]()
    return _CACHE[kind]


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_sniffed_by_content_whatever_the_name(kind: str) -> None:
    assert sniff(_data(kind), "misleading.txt") == kind
    assert sniff(jsonl_bytes(), "x.xml") == "json"
    assert sniff(encrypted_xls_bytes(), "x.docx") == "xls"


def _damaged(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = [data[: int(len(data) * f)] for f in (0.05, 0.2, 0.45, 0.7, 0.9, 0.99)]
    for _ in range(12):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(flipped))
            flipped[at] ^= 1 << rng.randrange(8)
        out.append(bytes(flipped))
    return out


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_damaged_copies_raise_only_extract_errors(kind: str) -> None:
    for i, data in enumerate(_damaged(_data(kind), seed=len(kind))):
        try:
            extract(data, f"damaged-{i}")
        except ExtractError as exc:
            assert exc.status in ("failed", "skipped")


def test_encrypted_ooxml_in_a_real_compound_file() -> None:
    data = compound_file({"EncryptionInfo": bytes(200), "EncryptedPackage": bytes(5000)})
    assert sniff(data, "secret.xlsx") == "ooxml-encrypted"
    assert sniff(compound_file({"Workbook": bytes(5000)}), "x") == "xls"
