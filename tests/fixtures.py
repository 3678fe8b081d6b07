"""Synthetic files for end-to-end tests. Every value is generated; none is real."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl import Workbook


@contextmanager
def open_dir(prefix: str = "pii-audit-") -> Iterator[Path]:
    """A private temp dir under /tmp that other accounts may traverse (0755), removed afterwards, so
    that the files' own modes set their audience. pytest's tmp_path sits in a 0700 folder, which
    makes every file in it owner-only (source/posix.py)."""
    root = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def rrn(birth: dt.date, sex: int, serial: str = "23456") -> str:
    """A resident registration number with a valid checksum (the pre-2020 rule)."""
    century = {1900: 1, 2000: 3}[birth.year // 100 * 100] + (sex - 1)
    digits = birth.strftime("%y%m%d") + str(century) + serial
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11) % 10
    return f"{digits[:6]}-{digits[6:]}{check}"


PEOPLE = [
    ("김영수", dt.date(1971, 3, 14), "서울특별시 노원구 노원로 270, 107동 504호", "010-2345-6789"),
    ("이순희", dt.date(1985, 7, 2), "경기도 부천시 심곡로 12", "010-3456-7890"),
    ("박철민", dt.date(1990, 11, 23), "부산광역시 해운대구 센텀중앙로 55", "010-4567-8901"),
    ("최은정", dt.date(1962, 1, 5), "인천광역시 남동구 인주대로 593", "010-5678-9012"),
]


def write_roster(path: Path, people: list[tuple[str, dt.date, str, str]] = PEOPLE) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "명단"
    ws.append(["성명", "생년월일", "주소", "연락처", "입국일"])
    for name, birth, address, phone in people:
        ws.append([name, birth, address, phone, dt.date(2021, 4, 1)])
    wb.save(path)
    return path


def write_tree(root: Path) -> Path:
    """A small tree: a roster, a CP949 csv with RRNs, a counselling note, a phone list, a negative."""
    root.mkdir(parents=True, exist_ok=True)
    write_roster(root / "roster.xlsx")
    lines = ["성명,주민등록번호,주소"] + [f"{n},{rrn(b, 1 + i % 2)},{a}" for i, (n, b, a, _) in enumerate(PEOPLE)]
    (root / "export.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp949"))
    (root / "note.txt").write_text(
        "2023년 상담일지 (북한이탈주민 정착지원)\n\n홍정자님은 1950년 3월 3일생으로 함경남도 함흥시에서 살다가 "
        "2008년 탈북하였다.\n주거지는 서울특별시 노원구 상계동 869-17번지이고 휴대전화 010-4457-3000.\n",
        encoding="utf-8",
    )
    (root / "staff.txt").write_text("직원 비상연락망\n\n성명: 정민호\n연락처: 010-9876-5432\n", encoding="utf-8")
    (root / "press.txt").write_text(
        "보도자료\n\n통일부는 2024년 3월 15일 서울에서 정착지원 정책 설명회를 열었다. 부산과 대구에서도 열린다.\n",
        encoding="utf-8",
    )
    return root
