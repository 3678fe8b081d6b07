from pii_audit.extract.xlsx import XlsxExtractor, iter_sheet_segments, render

from .builders import BIG_ID, PEOPLE, xlsx_bytes


def test_rows_with_header_cells_and_values() -> None:
    result = XlsxExtractor().extract(xlsx_bytes())
    roster = [s for s in result.segments if s.location.sheet == "명단"]
    assert roster[0].text == "2024년 교육생 명단 (대외비)"  # the title row, unlabelled
    assert [f.cell for f in roster[0].fields] == ["A1"]
    first = roster[1]
    assert [f.label for f in first.fields] == ["성명", "생년월일", "주소", "연락처", "번호", "점수"]
    assert [f.cell for f in first.fields] == ["A3", "B3", "C3", "D3", "E3", "F3"]
    assert first.text == (
        f"성명: {PEOPLE[0][0]}\n생년월일: 1980-01-02\n주소: {PEOPLE[0][1]}\n연락처: {PEOPLE[0][2]}\n"
        f"번호: {BIG_ID}\n점수: 2.5"
    )
    assert "생년월일: 1981-01-02 13:45:00" in roster[2].text
    assert f"번호: {BIG_ID + 1}\n점수: 3" in roster[2].text
    assert len(roster) == 1 + len(PEOPLE)


def test_sheet_without_header() -> None:
    result = XlsxExtractor().extract(xlsx_bytes())
    stats = [s for s in result.segments if s.location.sheet == "통계"]
    assert [s.text for s in stats] == ["2019\n1047", "2020\n229"]
    assert stats[0].fields[0].label is None and stats[0].fields[1].cell == "B1"


def test_render() -> None:
    assert render(12.0) == "12"
    assert render(9001011234568.0) == "9001011234568"
    assert render(0.5) == "0.5"
    assert render(None) is None


def test_header_labels_without_values_are_still_read() -> None:
    segments = list(
        iter_sheet_segments("s", [(1, ["성명", "연락처", "비고: 담당 김담당"]), (2, ["홍길동", "010-1234-5678"])])
    )
    assert [s.text for s in segments] == ["성명: 홍길동\n연락처: 010-1234-5678", "비고: 담당 김담당"]
    assert [f.cell for f in segments[1].fields] == ["C1"]
