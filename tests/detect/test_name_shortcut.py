"""KoreanNameRecognizer's shortcut changes no result: a candidate that `names._hopeless` drops
before the judgements is one the full path (`shortcut = False`: every candidate judged by `_judge`,
`_judge_slots` and `_pos_shape`) finds nothing for. Here the same texts go through both paths and
must give the same results, span for span, score for score, metadata for metadata.

The texts put every kind of word the shortcut reasons about (labels, place names, stop words,
names, words one syllable longer than a name, two-syllable surnames) before every kind of thing a
judgement reads after a candidate (honorifics, particles, brackets, dates, ages, spaces, colons,
line breaks, the end of the text) and after every kind of thing it reads before one (a label and
colon, kinship and role words, chat speakers, list separators, table cells). Every value is
synthetic, made by pii_synth or written for this test.
"""

from __future__ import annotations

import random

import pytest

from pii_audit.detect.korean import names
from pii_audit.detect.korean.names import KoreanNameRecognizer
from pii_synth.persons import Synth
from pii_synth.places import kr_address

_WORDS = [
    *("성명", "주소", "연락처", "이름", "생년월일", "보호자", "담당자", "비고", "전화", "상담자"),
    *("서울특별시", "노원구", "노원로", "강남구", "테헤란로", "정왕동", "시흥시", "부산광역시", "해운대구"),
    *("이번", "조사", "정부", "한국", "전주역", "감사실", "인사과", "하나센터", "서울특별시청", "고려대"),
    *("남궁", "황보", "선우", "남궁민수", "황보영희", "김", "이", "박"),
    *("김민민", "이서담", "정하람", "최해연", "홍길동", "김준", "오세리", "김민구", "강준", "주지아"),
    *("김민지원", "이서담은", "정하람에게", "홍정자님", "최해연씨", "주소지", "노원로가", "이정숙이"),
    # honorifics that `_judge` never tries as names but `_judge_slots` may (`부장` + `은`)
    *("부장은", "박사는", "이사가", "원장님", "여사", "주임이"),
    # a shorter name with the start of an honorific or a particle as the rest of the word (`김민` +
    # `사원`, `박수` + `이(가)`) or with a rest that starts neither (`로케` + `이션`, `공급` + `사:`)
    *("김민사원", "김민사", "이철선생", "정하씨", "박수이", "최영한", "최영한테", "로케이션", "공급사", "유통기한"),
]
_AFTER = [
    *("", " ", "  ", "\t", "\n", "\n\n", ":", ": ", ",", ", ", ".", ")", "(", " ("),
    *("님", " 님", "씨", " 씨", "씨는", " 선생님", " 과장", "님께서", " 군", " 양", "양", "군"),
    *("은", "는", "이", "가", "의", "에게", "로", "으로", "처럼", "이랑", "에서", "도"),
    *(" 12", " 1", " 123-4", "12", "(1993-10-05)", " (1993. 10. 5.)", "(54.02.15)", " (어머니)", "(韓昭英)"),
    *("이 1985년 7월 2일생으로", " 1985.07.02생", "은 40세", "는 만 19세", " 2001.07.24생으로", ",1985-07-02"),
    *("(1967. 2. 5, 원산시 출신) 씨", " 전주시장", " 귀하", "\n님", "\n(어머니)", " 010-1234-5678"),
    *("(가)", "(는)", "원", "원은", "생님", "테", "테 1985.07.02생"),
]
_BEFORE = [
    *("", "\n", "성명: ", "이 름: ", "보호자: ", "주소: ", "주소: 서울특별시 ", "연락처: ", "성명 : "),
    *("사촌 동생 ", "어머니 ", "친구 ", "내담자 ", "상담 대상 ", "담당자 ", "원고 ", "판사 ", "피  고  인 "),
    *("[", "[오후 3:07] ", "2024년 3월 2일 오후 8:15, ", "[14:02] ", "name=", '"author": "'),
    *("최민결, ", "기하윤·", "참석자: 회장 ", "1,", "3\t", "김민민, ", "| ", "  "),
]


def _texts() -> list[str]:
    rng = random.Random(16)
    synth = Synth(seed=16)
    texts = []
    for _ in range(1500):
        word = rng.choice(_WORDS) if rng.random() < 0.7 else synth.korean_name().full
        tail = rng.choice(["", "\n", " 그리고", "\n연락처: 010"])
        texts.append(rng.choice(_BEFORE) + word + rng.choice(_AFTER) + tail)
    # Pieces glued into lines and paragraphs: a candidate's record and line hold the other pieces.
    for _ in range(300):
        parts = [rng.choice(_BEFORE) + rng.choice(_WORDS) + rng.choice(_AFTER) for _ in range(rng.randint(2, 6))]
        texts.append(rng.choice(["", " ", "\n", ", "]).join(parts))
    rows = []
    for i in range(200):
        name, address = synth.korean_name().full, kr_address(rng).text
        rows.append(f"성명: {name}\n생년월일: 1980-01-0{i % 9 + 1}\n주소: {address}\n연락처: 010-0000-{i:04d}")
    texts.append("\n\n".join(rows))
    cells = [(synth.korean_name().full, kr_address(rng).text) for _ in range(80)]
    texts.append("\n".join(f"{i},{name},{address},010-1234-{i:04d}" for i, (name, address) in enumerate(cells)))
    return texts


def _results(recognizer: KoreanNameRecognizer, text: str) -> list[tuple[object, ...]]:
    return [
        (r.entity_type, r.start, r.end, r.score, sorted(r.recognition_metadata.items()))
        for r in recognizer.analyze(text, ["PERSON"])
    ]


@pytest.mark.parametrize("defer_pos", [True, False])
def test_the_shortcut_gives_the_full_paths_results(defer_pos: bool) -> None:
    fast, full = KoreanNameRecognizer(), KoreanNameRecognizer()
    fast.defer_pos = full.defer_pos = defer_pos
    full.shortcut = False
    found = 0
    for text in _texts():
        expected = _results(full, text)
        assert _results(fast, text) == expected, text
        found += len(expected)
    assert found > 1000  # the texts hold names: the comparison is not between two empty lists


def test_roster_labels_and_address_words_are_dropped_before_judging() -> None:
    row = "성명: 김민민\n주소: 서울특별시 노원구 노원로 12\n연락처: 010-0000-0000"
    hopeless = {
        m.group("name"): names._hopeless(row, m.start(), m.group("name")) for m in names._CANDIDATE.finditer(row)
    }
    assert hopeless == {
        "성명": True,
        "김민민": False,
        "주소": True,
        "서울특별": True,
        "노원구": True,
        "노원로": True,
        "연락처": True,
    }


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("노원구 님께", "노원구"),  # an honorific after a space
        ("노원구(1993-10-05) 씨", "노원구"),  # a bracket
        ("보호자: 노원구", "노원구"),  # a label and colon before
        ("노원구 1985.07.02생", "노원구"),  # a birth date soon after
        ("사촌 동생 노원구", "노원구"),  # a kinship word before
        ("김민지원은", "김민지원"),  # a shorter name before a particle
    ],
)
def test_a_candidate_with_a_hint_around_it_is_judged(text: str, word: str) -> None:
    start = text.index(word)
    assert names._CANDIDATE.match(text, start).group("name") == word
    assert not names._hopeless(text, start, word)
