from pii_audit.extract.delimited import DelimitedExtractor, detect_delimiter
from pii_audit.model import SegmentKind

from .builders import PEOPLE, csv_text


def test_cp949_csv_with_header_and_multiline_field() -> None:
    result = DelimitedExtractor("csv").extract(csv_text().encode("cp949"))
    assert result.format == "csv"
    assert "encoding: cp949" in result.notes
    assert len(result.segments) == len(PEOPLE)
    # the record after the two-line memo starts one physical line later
    assert [s.location.line for s in result.segments] == [2, 3, 5, 6, 7]
    first = result.segments[0]
    assert first.kind is SegmentKind.ROW
    assert first.text.splitlines()[0] == f"성명: {PEOPLE[0][0]}"
    assert [f.label for f in first.fields] == ["성명", "주소", "연락처", "메모"]
    assert first.text[first.fields[1].start : first.fields[1].end] == PEOPLE[0][1]
    assert "메모: 첫 줄\n둘째 줄" in result.segments[1].text


def test_tsv() -> None:
    data = "이름\t전화\n김민준\t010-1111-2222\n이서연\t010-3333-4444\n".encode("utf-16")
    result = DelimitedExtractor("tsv").extract(data)
    assert result.format == "tsv"
    assert [s.text for s in result.segments] == [
        "이름: 김민준\n전화: 010-1111-2222",
        "이름: 이서연\n전화: 010-3333-4444",
    ]


def test_semicolon_and_no_header() -> None:
    data = b"2019;1047;251\n2020;229;72\n2021;63;40\n"
    result = DelimitedExtractor("csv").extract(data)
    assert result.segments[0].text == "2019\n1047\n251"
    assert all(f.label is None for s in result.segments for f in s.fields)
    assert result.segments[0].location.line == 1


def test_prose_is_not_tabular() -> None:
    prose = (
        "이중수 씨는 21세 남성으로 고향은 양강도 혜산시이며, 2021년 하나원을 수료하였다.\n"
        "주소지는 아직 확정되지 않았다, 연락은 센터 사무실을 통해 하기로 함.\n"
        "직업훈련 과정을 수강 중이며, 출석률이 양호하다고 담당자가 전했다.\n"
    )
    assert detect_delimiter(prose) is None
    assert detect_delimiter("1,2\n3,4\n") is None  # two rows and no header: unsure, so text
    assert detect_delimiter("1,2\n3,4\n", hint="csv") == ","
    assert detect_delimiter("Dear Mina, thanks for the call\nBest regards, Joon\n") is None


def test_a_header_and_one_record_is_a_table_whatever_the_name() -> None:
    # An export of one person: three labelled columns and one row. The file name gives no hint.
    assert detect_delimiter("성명,생년월일,연락처\n박서연,1990-03-01,010-3456-7890\n") == ","
    assert detect_delimiter("name;phone;city\nAda Park;010-3456-7890;Busan\n") == ";"


def test_title_line_above_the_header_is_not_the_header() -> None:
    from pii_audit.extract.delimited import DelimitedExtractor

    text = "전출입자 목록 (회신분)\n성명\t생년월일\t주소\n김영수\t71.03.14\t서울특별시 노원구 노원로 270\n"
    ext = DelimitedExtractor("tsv").extract(text.encode("utf-16"))
    rows = [s for s in ext.segments if s.fields and s.fields[0].label == "성명"]
    assert rows and "생년월일: 71.03.14" in rows[0].text
