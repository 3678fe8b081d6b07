"""`pii-audit redact FILE -o OUT`: a masked copy of a document, with the same structure."""

from __future__ import annotations

import os
import stat
import uuid
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pii_audit.cli.remedy_common import EXIT_LEFT_ALONE, ApplyOption, JournalOption, usage
from pii_audit.cli.root import app
from pii_audit.errors import RemedyError
from pii_audit.paths import display_path
from pii_audit.remedy import fileops
from pii_audit.remedy.journal import Journal, path_fields

JOURNAL_NAME = "pii-audit.journal.jsonl"


class MaskStyle(str, Enum):
    report = "report"
    full = "full"


def _counts(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    kinds = ", ".join(f"{t} {n}" for t, n in counts.items())
    return f"{total} values ({kinds})" if total else "no values found"


@app.command()
def redact(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The document to copy masked.", show_default=False)],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            help="Where the masked copy goes (new file, created 0600).",
            show_default=False,
        ),
    ],  # fmt: skip
    mask_style: Annotated[
        MaskStyle,
        typer.Option(
            "--mask",
            help="report: values masked as reports show them (김*수, 900101-1******); full: every character of "
            "the value replaced (█, or ■ / * where the encoding lacks it).",
        ),
    ] = MaskStyle.report,
    min_confidence: Annotated[
        float,
        typer.Option("--min-confidence", min=0.0, max=1.0, help="Mask findings scored at least this (0: all)."),
    ] = 0.0,
    journal: JournalOption = None,
    apply: ApplyOption = False,
) -> None:
    """Write a masked copy of a document (csv, tsv, txt, json, html, xml, xlsx, docx, pptx, hwpx) with the same
    structure; the copy is scanned again and written only if nothing is found in it."""
    out, err = Console(), Console(stderr=True)
    try:
        st = os.lstat(file)
    except OSError as exc:
        usage(err, f"cannot read {file}: {exc.strerror or type(exc).__name__}")
    if not stat.S_ISREG(st.st_mode):
        usage(err, f"{file}: not a regular file (symbolic links are not followed)")
    if os.path.lexists(output):
        usage(err, f"{output} exists: the masked copy never overwrites a file")
    if not output.parent.resolve().is_dir():
        usage(err, f"no such folder for the copy: {output.parent}")
    data = file.read_bytes()
    from pii_audit.executor import default_detector  # the models: only once the arguments are good
    from pii_audit.options import AuditOptions
    from pii_audit.remedy.redact.run import plan
    from pii_audit.remedy.redact.run import redact as redact_bytes

    err.print("loading the detector…", markup=False, highlight=False)
    detector = default_detector(AuditOptions())
    shown = display_path(str(file))
    try:
        if not apply:
            kind, counts = plan(data, file.name, detector, min_confidence)
            out.print(f"redact      {shown}  -> {display_path(str(output))}  [{kind}: {_counts(counts)}]",
                      markup=False, highlight=False, soft_wrap=True)  # fmt: skip
            err.print("plan only. Nothing written: add --apply to do it.", markup=False, highlight=False)
            raise typer.Exit(0)
        result = redact_bytes(
            data, file.name, detector, full=mask_style is MaskStyle.full, min_confidence=min_confidence
        )
    except RemedyError as exc:
        out.print(f"skip        {shown}  ({exc})", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_LEFT_ALONE) from None
    if os.lstat(file).st_mtime_ns != st.st_mtime_ns:
        out.print(f"skip        {shown}  (changed while it was being read)", markup=False, highlight=False)
        raise typer.Exit(EXIT_LEFT_ALONE)
    with fileops.temp_beside(str(output)) as (fh, tmp):
        fh.write(result.data)
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        try:
            fileops.publish(tmp, str(output), replace=False)
        except FileExistsError:
            usage(err, f"{output} appeared meanwhile: the masked copy never overwrites a file")
    log = Journal(journal if journal is not None else output.parent / JOURNAL_NAME)
    log.append(
        {
            "action": "redact",
            "id": uuid.uuid4().hex,
            **path_fields("original", os.path.abspath(file)),
            **path_fields("result", os.path.abspath(output)),
            "format": result.kind,
            "mask": mask_style.value,
            "min_confidence": min_confidence,
            "counts": result.counts,
            "rounds": result.rounds,
            "sha256_before": fileops.sha256_bytes(data),
            "sha256_after": fileops.sha256_bytes(result.data),
        }
    )
    out.print(f"redact      {shown}  -> {display_path(str(output))}  [{result.kind}: {_counts(result.counts)} masked; "
              "a rescan of the copy finds none]", markup=False, highlight=False, soft_wrap=True)  # fmt: skip
    err.print(f"journal: {log.path}", markup=False, highlight=False)
    raise typer.Exit(0)
