"""Large CSV/TSV/text files split across pool workers give the report one reader gives."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
from pathlib import Path

import pytest
from openpyxl import Workbook

from pii_audit.audit import Auditor
from pii_audit.detect.engine import Detection, Detector
from pii_audit.executor import WORKER_CRASHED, ExecutionOptions
from pii_audit.model import AuditRun, FileRef, Finding, Location, Status
from pii_audit.options import AuditOptions
from pii_audit.report import json as json_report
from pii_audit.split import Chunk, ChunkResult, Fold, drain, plan_file, room_before

KEY = b"s" * 32
SPLIT = 64 * 1024  # split files over 64 KiB (the default is 32 MiB)
# CSV, TSV and text over 128 KiB are read as a stream by one reader too (as any over 32 MiB is by
# default); a workbook under it is loaded whole, as a workbook under --max-file-mb is.
OPTS = AuditOptions(key=KEY, max_file_bytes=128 * 1024, file_timeout=None)

_SURNAMES = "김이박최정강조윤"
_GIVEN = ("영수", "순희", "철민", "은정", "민호", "지영", "서준", "하은", "도윤")


def person(i: int) -> tuple[str, str, str, str]:
    name = _SURNAMES[i % 8] + _GIVEN[(i // 8) % 9]
    birth = (dt.date(1950, 1, 1) + dt.timedelta(days=i * 37 % 20000)).isoformat()
    phone = f"010-{2000 + i % 7000:04d}-{(5000 + i) % 10000:04d}"
    return name, birth, f"서울특별시 노원구 노원로 {100 + i % 700}", phone


def quoted_csv(path: Path, rows: int) -> Path:
    """A roster whose `비고` column holds quoted fields with newlines, commas and doubled quotes."""
    lines = ["직원 명단 (내부용)", "성명,생년월일,주소,연락처,비고"]
    for i in range(rows):
        name, birth, address, phone = person(i)
        note = f'"{i}번 메모:\n""확인"" 필요,\n재확인"' if i % 3 == 0 else ("" if i % 3 == 1 else "일반")
        lines.append(f'{name},{birth},"{address}",{phone},{note}')
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def cp949_csv(path: Path, rows: int) -> Path:
    lines = ["성명,생년월일,주소,연락처"] + [",".join(person(i)) for i in range(rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode("cp949"))
    return path


def tsv(path: Path, rows: int) -> Path:
    lines = ["name\tbirth date\taddress\tphone"] + ["\t".join(person(i)) for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def text(path: Path, paragraphs: int) -> Path:
    blocks = []
    for i in range(paragraphs):
        name, birth, address, phone = person(i)
        lines = [f"담당자 {name} ({birth}생)", f"주소: {address}", f"연락처 {phone}"]
        blocks.append("\n".join(lines[: 1 + i % 3]) + ("\n회의록 내용 정리" * (i % 4)))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def comparable(run: AuditRun) -> str:
    data = json.loads(json_report.render(run))
    data["scan"].pop("started")
    data["scan"].pop("finished")
    for f in data["files"]:
        f.pop("seconds", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def workbook(path: Path, rows: int) -> Path:
    """A roster over two sheets, a title row above the header of the first."""
    wb = Workbook(write_only=True)
    first = wb.create_sheet("명단")
    first.append(["직원 명단"])
    first.append(["성명", "생년월일", "주소", "연락처"])
    for i in range(rows):
        first.append(list(person(i)))
    second = wb.create_sheet("퇴사자")
    for i in range(rows, rows + rows // 4):
        second.append(list(person(i)))
    wb.save(path)
    return path


def ranges(path: Path) -> int:
    ref = FileRef(path=path.name, location=str(path), size=path.stat().st_size)
    return len(plan_file(ref, OPTS, SPLIT, 2) or ())


def split_run(root: Path, opts: AuditOptions = OPTS, factory: object = None) -> AuditRun:
    execution = ExecutionOptions(workers=2, split_bytes=SPLIT)
    return Auditor(opts, factory, execution).run([str(root)])  # type: ignore[arg-type]


def test_split_and_unsplit_reports_are_equal(
    tmp_path: Path, detector: Detector, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "share"
    root.mkdir()
    files = [
        quoted_csv(root / "quoted.csv", 2200),
        cp949_csv(root / "cp949.csv", 3500),
        tsv(root / "people.tsv", 3000),
        text(root / "notes.txt", 2500),
        workbook(root / "roster.xlsx", 2000),
    ]
    for path in files:
        assert ranges(path) >= (2 if path.suffix == ".xlsx" else 3), path.name
    one = Auditor(OPTS, lambda o: detector, ExecutionOptions(workers=1)).run([str(root)])
    with caplog.at_level(logging.INFO, logger="pii_audit.executor"):
        split = split_run(root)
    assert sum("ranges" in r.getMessage() for r in caplog.records) == len(files)
    assert comparable(split) == comparable(one)
    for f in one.files:
        assert f.result.status is Status.SCANNED, f.result.reason
        assert f.result.findings and len(f.result.records) > 100, f.result.ref.path
        if f.result.format != "xlsx":
            assert "read as a stream (too large to load whole)" in f.result.notes


def test_listed_findings_stop_at_the_limit_as_one_reader_stops(tmp_path: Path, detector: Detector) -> None:
    root = tmp_path / "share"
    root.mkdir()
    tsv(root / "people.tsv", 3000)
    opts = AuditOptions(key=KEY, max_file_bytes=128 * 1024, file_timeout=None, max_findings=500)
    one = Auditor(opts, lambda o: detector, ExecutionOptions(workers=1)).run([str(root)])
    split = split_run(root, opts)
    assert comparable(split) == comparable(one)
    (note,) = [n for n in one.files[0].result.notes if "beyond the first 500" in n]
    assert note


def test_one_large_file_starts_a_pool_and_a_small_one_does_not() -> None:
    from pii_audit.executor import PoolExecutor, SerialExecutor, make_executor

    def choose(largest: int) -> object:
        execution = ExecutionOptions(workers=2, split_bytes=SPLIT)
        return make_executor(OPTS, execution, fake_factory, FakeDetector, 1, largest)

    assert isinstance(choose(SPLIT + 1), PoolExecutor)
    assert isinstance(choose(SPLIT // 8 + 1), PoolExecutor)  # a workbook of that size is split
    assert isinstance(choose(SPLIT // 8), SerialExecutor)


class FakeDetector:
    """No NLP: finds `RRN` tokens; kills its worker process on `CRASH` (a stand-in for a segfault)."""

    notices: tuple[str, ...] = ()

    def detect(self, text: str) -> list[Detection]:
        if "CRASH" in text:
            os._exit(70)
        return [Detection("KR_RRN", i, i + 3, 0.9) for i in range(len(text)) if text.startswith("RRN", i)]


def fake_factory(opts: AuditOptions) -> Detector:
    return FakeDetector()  # type: ignore[return-value]


def rrn_csv(path: Path, rows: int, crash_at: int | None = None, stray_quote_at: int | None = None) -> Path:
    lines = ["id,value,comment"]
    for i in range(rows):
        comment = "CRASH" if i == crash_at else f"row {i}"
        if stray_quote_at is not None and i >= stray_quote_at:
            # a quote inside an unquoted field is text to CSV, then quoted fields with newlines
            comment = "5'10\" tall" if i == stray_quote_at else f'"row {i}\nsecond line"'
        lines.append(f"{i},RRN {i},{comment}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_range_that_kills_its_worker_fails_the_file_and_keeps_the_other_findings(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    rrn_csv(root / "big.csv", 20000, crash_at=10000)
    (root / "small.txt").write_text("RRN alone\n", encoding="utf-8")
    run = split_run(root, factory=fake_factory)
    by_path = {f.result.ref.path: f.result for f in run.files}
    big = by_path["big.csv"]
    assert big.status is Status.FAILED and big.reason == WORKER_CRASHED
    assert any("1 failed (the first: range" in n for n in big.notes)
    counts = dict(big.entity_counts)
    assert 15000 < counts["KR_RRN"] < 20000  # every range but the crashed one
    assert [f.location.line for f in big.findings[:3]] == [2, 3, 4]
    assert by_path["small.txt"].status is Status.SCANNED


def test_a_quote_that_csv_reads_as_text_makes_the_file_read_whole(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "share"
    root.mkdir()
    rrn_csv(root / "big.csv", 20000, stray_quote_at=50)  # the quote count is odd at every record end after it
    assert ranges(root / "big.csv") >= 3  # so the cuts fall inside quoted fields
    one = Auditor(OPTS, fake_factory, ExecutionOptions(workers=1)).run([str(root)])
    with caplog.at_level(logging.INFO, logger="pii_audit.executor"):
        split = split_run(root, factory=fake_factory)
    assert any("read whole by one worker" in r.getMessage() for r in caplog.records)
    assert comparable(split) == comparable(one)
    assert dict(split.files[0].result.entity_counts)["KR_RRN"] == 20000


def test_text_with_every_kind_of_line_end_keeps_its_line_numbers(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    ends = ("\n", "\r\n", "\r")
    parts = []
    for i in range(30000):
        parts.append(f"RRN {i}" + ends[i % 3])
        if i % 7 == 6:
            parts.append(ends[i % 2])  # an empty line: LF or CRLF (a cut may follow it)
    (root / "log.txt").write_bytes("".join(parts).encode("utf-8"))
    assert ranges(root / "log.txt") >= 3
    one = Auditor(OPTS, fake_factory, ExecutionOptions(workers=1)).run([str(root)])
    split = split_run(root, factory=fake_factory)
    assert comparable(split) == comparable(one)
    assert dict(split.files[0].result.entity_counts)["KR_RRN"] == 30000


def _range_result(number: int, found: int, limit: int | None = None) -> ChunkResult:
    """A range's result as a worker sends it: `found` findings counted, the first `limit` listed."""
    listed = tuple(
        Finding("PERSON", 0.9, Location(line=number * 1000 + i), "김**", f"{number:04d}{i:04d}")
        for i in range(found if limit is None else min(found, limit))
    )
    return ChunkResult(number=number, status=Status.SCANNED, findings=listed, counts=(("PERSON", found),))


@pytest.mark.parametrize("seed", range(40))
def test_ranges_finishing_in_any_order_list_the_findings_one_reader_lists(seed: int) -> None:
    """Ranges that wait behind an unfinished one keep only the findings the listing can still
    take, and the file's result is the one of the ranges added in order."""
    rng = random.Random(seed)
    cap = rng.choice((0, 1, 7, 25, 60))
    sizes = [rng.choice((0, 3, 10, 30)) for _ in range(rng.randint(2, 9))]
    chunks = [Chunk(FileRef(path="big.csv", location="big.csv"), n, len(sizes), 0, 1, "csv") for n in range(len(sizes))]
    opts = AuditOptions(key=KEY, max_findings=cap)

    def fold() -> Fold:
        return Fold(ref=chunks[0].ref, format="csv", notes=(), count=len(sizes), opts=opts)

    in_order = fold()
    for n, size in enumerate(sizes):
        in_order.add(_range_result(n, size), chunks[n])
    expected = in_order.result()
    assert len(expected.findings) == min(cap or sum(sizes), sum(sizes))

    folded, waiting = fold(), {}
    workers, honour = rng.randint(1, 4), rng.random() < 0.5  # a worker lists up to its limit, or all
    queue, running = list(range(len(sizes))), {}
    while queue or running:
        while queue and len(running) < workers:  # submitted in order, with the room at that moment
            n = queue.pop(0)
            running[n] = room_before(folded, waiting, n)
        n = rng.choice(sorted(running))  # ranges finish in any order
        limit = running.pop(n)
        waiting[n] = _range_result(n, sizes[n], limit if honour else None)
        drain(waiting, folded, chunks)
        held = len(folded.findings) + sum(len(r.findings) for r in waiting.values())
        assert held <= (cap or sum(sizes)), (cap, sizes, held)
    assert folded.done
    assert folded.result() == expected
