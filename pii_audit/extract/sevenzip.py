"""7z archives through py7zr (LGPL-2.1-or-later, used as a library), members in memory.

7z packs members into solid blocks, so per-member compressed sizes are mostly unknown: the ratio
limit applies to the declared size of the whole archive against its size on disk. py7zr's own
`max_extract_size` stops inflation at the budget left, whatever the headers claim, and each
member's buffer stops growing one byte past its cap. Any encryption (content or header) makes
the archive `EncryptedFile`: py7zr cannot list what it cannot decrypt, and a mixed archive is rare.
"""

from __future__ import annotations

import io

from pii_audit.errors import CorruptFile, EncryptedFile, UnsupportedFormat
from pii_audit.extract.container import RATIO_FLOOR, Budget, Members
from pii_audit.model import Extraction, Limits


class SevenZipExtractor:
    format = "7z"

    def extract(self, data: bytes, name: str, limits: Limits, budget: Budget) -> Extraction:
        try:
            import py7zr
            from py7zr.exceptions import PasswordRequired
            from py7zr.io import BytesIOFactory
        except ImportError:
            raise UnsupportedFormat("unsupported format: 7z (py7zr is not installed)") from None
        sink = Members(limits, budget)
        wanted: dict[str, str] = {}  # archive name -> report name
        try:
            with py7zr.SevenZipFile(io.BytesIO(data), mode="r") as archive:
                declared = 0
                for index, entry in enumerate(archive.files, start=1):
                    if entry.is_directory:
                        continue
                    if not sink.admit():
                        continue
                    report_name = sink.name(entry.filename, f"member-{index}")
                    if entry.is_symlink or entry.is_junction or entry.is_socket:
                        sink.skip(report_name, "symbolic link: not followed")
                    elif entry.uncompressed > budget.remaining - declared:
                        sink.skip(report_name, sink.over_budget())
                    else:
                        wanted[entry.filename] = report_name
                        declared += entry.uncompressed
                ratio = declared / max(len(data), 1)
                if declared > RATIO_FLOOR and ratio > limits.max_ratio:
                    for report_name in wanted.values():
                        sink.skip(report_name, f"compression bomb suspected: ratio {ratio:.0f}")
                    return sink.extraction(self.format)
                if not wanted:
                    return sink.extraction(self.format)
                archive.max_extract_size = budget.remaining
                factory = BytesIOFactory(limit=budget.remaining + 1)
                archive.extract(targets=list(wanted), factory=factory)
        except PasswordRequired:
            raise EncryptedFile("encrypted: password-protected 7z") from None
        except py7zr.exceptions.DecompressionBombError:
            budget.charge(budget.remaining)
            for report_name in wanted.values():
                sink.skip(report_name, sink.over_budget())
            return sink.extraction(self.format)
        except (py7zr.exceptions.ArchiveError, OSError, EOFError, ValueError, KeyError, IndexError) as exc:
            raise CorruptFile(f"7z: {type(exc).__name__}") from None
        for archive_name, report_name in wanted.items():
            product = factory.products.get(archive_name)
            if product is None:
                sink.add(report_name, b"")  # an empty member has no stream
                continue
            product.seek(0)
            content = product.read()
            budget.charge(len(content))
            sink.add(report_name, content)
        return sink.extraction(self.format)
