"""PERSON in Hangul: a surname (one syllable, or 남궁/황보/제갈/선우/독고/사공/서문) and a given name of
one or two syllables, accepted only with evidence that it names a person:

- it is the value of a name field (`성명: 홍길동`, a `이름` column, `상담자: 강현주`);
- an honorific or title follows (`씨`, `님`, `선생님`, `과장`…);
- a kinship word stands next to it (`사촌 동생 이정숙`, `최해연 (어머니)`);
- a bracket with a birth date or followed by an honorific comes after it (`양향(1993-10-05, …) 씨`);
- Kiwi tags it as a proper noun and a particle follows (`이중수는`, `김철수의`), for three-syllable
  names only, since two-syllable words that start with a surname are mostly common nouns.

Particles and honorifics are never part of the reported span. A surname alone (`김 씨`) is not a
name; nor are organisations, places and common nouns (a stop list, the address gazetteer's
shapes, Kiwi's common-noun tags). Reference: 통계청 성씨 statistics for the surname list.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.kiwi_tokenizer import kiwi
from pii_audit.detect.lines import before_on_line, label_before, squash

SINGLE_SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현함변"
    "염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감호리림로량"
)
DOUBLE_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "어금", "망절")

NAME_LABELS = ("이름", "성명", "성함", "name", "대상자", "신청인", "보호자", "담당자", "상담자", "작성자", "수령인",
               "예금주", "회원명", "교육생", "학생명", "환자명", "고객명", "대표자", "세대주", "신고인", "피해자",
               "의뢰인", "내담자", "참석자", "수료자", "연락인", "비상연락", "긴급연락", "가족", "배우자", "성 명",
               "applicant", "client", "fullname", "담당", "지원자", "입소자", "퇴소자", "본인", "자녀", "동반",
               "동의인", "신청자", "세대원", "부양가족")
HONORIFICS = ("선생님", "선생", "씨", "님", "과장", "부장", "차장", "대리", "주임", "팀장", "실장", "원장", "센터장",
              "소장", "사무관", "주무관", "상담사", "상담원", "복지사", "교수", "박사", "변호사", "여사", "군", "양",
              "사원", "국장", "계장", "대표", "이사", "위원", "간사", "활동가", "할머니", "할아버지", "어르신")
KIN = ("어머니", "아버지", "모친", "부친", "남편", "아내", "배우자", "딸", "아들", "동생", "언니", "오빠", "누나",
       "형", "사촌", "삼촌", "이모", "고모", "자녀", "보호자", "친구", "지인", "외삼촌", "조카", "손녀", "손자",
       "mother", "father", "sister", "brother", "spouse", "son", "daughter")
PARTICLES = ("에게서", "에게", "한테", "께서", "께", "으로", "로", "은", "는", "이", "가", "의", "을", "를", "와", "과",
             "도", "만", "이다", "이며", "이고", "입니다", "라고", "이라고", "랑", "이랑", "하고")
# Words that look like surname + one or two syllables but are not names.
STOP = frozenset("""
한국 북한 남한 중국 미국 일본 러시아 서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북
경남 제주 평양 하나원 정부 정착 이번 이후 이상 이하 이전 이내 이외 조사 조치 주소 주민 전화 신청 신청인 상담 지원
관리 문제 안내 전국 고향 가족 자녀 성별 남성 여성 연락 연락처 사회 기간 기관 기준 기타 비고 명단 목록 명의 대상
대상자 보호자 담당자 상담자 작성자 교육 교육생 수료 수료생 지급 금액 구분 번호 이름 성명 생년 생년월일 주민번호
이메일 휴대폰 전화번호 정보 유의 유지 유형 사항 사례 회의 자료 통계 연도 입국 입국자 탈북 탈북민 주거 주거지 거주
거주지 현재 현황 황해 함경 평안 양강 자강 강원도 함경도 평안도 황해도 양강도 자강도 경기도 서울시 부산시 인천시
안전 안정 방문 방문자 문의 문서 공공 공지 공개 노동 노력 노인 노원 하루 하반기 상반기 한편 한번 한글 한반도 고등
고용 고령 고려 고객 고지 구청 구역 구조 구입 국가 국민 국제 국내 국외 남북 남자 여자 남부 북부 동부 서부 도시
도움 소득 소식 소개 소속 소장 석사 선정 선거 설명 설치 마을 마음 길이 연구 연령 연말 연초 연간 위원 위원회 위해
표시 명절 기록 기본 기업 기간제 반드시 라인 왕래 금년 금액 옥상 육아 인원 인권 인터뷰 맹목 제공 제출 제도 모두
모임 모집 탁구 국적 어려움 은행 편의 용도 예정 예산 경우 경제 경력 봉사 사업 사용 사람 사람들 부모 부분 부담
가구 가능 가정 가입 복지 태도 목적 목표 형태 피해 두만강 감사 호소 리명 임대 임시 장애 장기 장소 전입 전체 전문
정기 정도 정보화 조건 조기 주의 주간 주거비 주택 진행 진료 진학 지역 지난 지금 지정 채용 천명 방법 방안 공부 공동
현장 함께 변경 변화 여부 여권 추가 추진 도착 소재 석방 선생 설문 마련 길잡이 연계 위기 기초 반면 라면 왕복 옥수수
인근 인정 제외 모색 탁월 국회 어린이 은퇴 편지 용역 예방 경찰 봉투 사무실 부족 가운데 복귀 태어 목소리 형편 피로
두려움 감정 호전 임금 장학금 전달 정신 조정 주요 진단 지도 채무 천천히 방학 공장 현금 함흥 변동 여성가족부 추석
선생님 사장님 원장님 소장님 도청 시청 구청장 남편 아내 아들 동생 누나 언니 오빠 사촌 어머니 아버지 이모 고모 삼촌 손녀 손자 조카 홍보 배우자
""".split())
_PLACE_ENDINGS = ("시", "도", "군", "구", "동", "리", "읍", "면", "로", "길", "청", "원", "부", "처", "국", "과", "팀",
                  "관", "회", "당", "소", "센터", "협회", "은행", "공사", "병원", "학교", "대학")

_SURNAME = "(?:" + "|".join(DOUBLE_SURNAMES) + f"|[{SINGLE_SURNAMES}])"
_CANDIDATE = regex.compile(rf"(?<![가-힣])(?P<name>{_SURNAME}[가-힣]{{1,3}})")
_NAME_LABELS = tuple(squash(x) for x in NAME_LABELS)
_HONORIFIC = regex.compile(r"\s?(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + r")(?![가-힣])|"
                           r"\s?(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + r")(?:" +
                           "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")(?![가-힣])")
_PARTICLE = regex.compile(r"(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")(?![가-힣])")
_KIN_BEFORE = regex.compile(r"(?:" + "|".join(KIN) + r")\s*(?:인|인\s|:)?\s*$")
# `양향(1993-10-05, 강원도 원산시 출신) 씨`, `이정옥(54.02.15)`: a bracket with a date or an honorific after it.
_BRACKET_AFTER = regex.compile(r"\s*\((?:\s*\d{2,4}[.\-/년 ]|\s*(?:생년월일|생일|주민등록번호|주민번호|만\s?\d+세|\d+세)|[^()\n]{0,60}\)\s*(?:씨|님|선생님)(?![가-힣]))")
# `상담 대상 주지아의`, `내담자 한서윤 씨`: a role word right before the name.
_CUE_BEFORE = regex.compile(r"(?<![가-힣])(?:대상|대상자|내담자|신청인|보호자|의뢰인|피해자|수급자|입소자|교육생|수강생|회원|학생|"
                            r"환자|고객|세대주|담당자|상담자|성명|이름|본인|동의인|신청자|서약인|위임인|대리인|자녀|배우자)\s*$")
_KIN_AFTER = regex.compile(r"\s*\(\s*(?:" + "|".join(KIN) + r")")


def _surname_len(word: str) -> int:
    return 2 if word[:2] in DOUBLE_SURNAMES and len(word) >= 3 else 1


def _is_stop(name: str) -> bool:
    return name in STOP or name.endswith(_PLACE_ENDINGS) and len(name) > 2 and name[:-1] in STOP


@lru_cache(maxsize=65536)
def is_common_compound(word: str) -> bool:
    """Kiwi splits known compounds into dictionary words (`설립`+`일`, `선생`+`님`, `정기`+`상담`); a
    name it does not know stays whole (`주지아`) or splits after a one-syllable surname (`강`+`준`)."""
    tokens = kiwi().tokenize(word)
    return len(tokens) > 1 and tokens[0].len >= 2 and tokens[0].tag in ("NNG", "VV", "VA", "XR", "MAG", "NNB")


def looks_like_name(word: str) -> bool:
    """Surname + one or two syllables (two-syllable surnames: + up to two), not a known word."""
    surname = _surname_len(word)
    if not (2 <= len(word) <= surname + 2) or _is_stop(word) or word.endswith(_PLACE_ENDINGS[:9]):
        return False
    return word[:surname] in DOUBLE_SURNAMES or word[0] in SINGLE_SURNAMES


class KoreanNameRecognizer(EntityRecognizer):
    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], supported_language="ko", name="KoreanNameRecognizer")

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        proper: set[tuple[int, int]] | None = None
        for m in list(_CANDIDATE.finditer(text, timeout=1.0)):
            word = m.group("name")
            start = m.start()
            found = self._judge(text, start, word)
            if found is None and len(word) >= 3:
                if proper is None:
                    proper = _proper_nouns(text)
                found = self._judge_by_pos(text, start, word, proper)
            if found is not None:
                length, score = found
                results.append(RecognizerResult("PERSON", start, start + length, score,
                                                recognition_metadata={"recognizer_name": self.name}))
        return results

    def _judge(self, text: str, start: int, word: str) -> tuple[int, float] | None:
        """(length, score) of a name at `start` by label, honorific or kinship evidence."""
        surname = _surname_len(word)
        label = label_before(text, start)
        labelled = label is not None and any(lbl in squash(label) for lbl in _NAME_LABELS)
        head = before_on_line(text, start, 12)
        kin_before = bool(_KIN_BEFORE.search(head) or _CUE_BEFORE.search(head))
        # Try the longest given name first: most names have two-syllable given names.
        for given in (3, 2, 1):
            length = surname + given
            if length > len(word) or given == 3 and surname == 1:
                continue
            name = word[:length]
            if name in STOP or name in DOUBLE_SURNAMES:
                continue
            rest = text[start + length:]
            if _HONORIFIC.match(rest):
                return length, 0.85
            boundary = not rest[:1] or not ("가" <= rest[:1] <= "힣")
            if labelled and boundary and length >= 2:
                return length, 0.9
            if _BRACKET_AFTER.match(rest) and length >= 2 and not is_common_compound(name):
                return length, 0.8
            if (kin_before or _KIN_AFTER.match(rest)) and (boundary or _PARTICLE.match(rest)):
                return length, 0.8
        return None

    def _judge_by_pos(self, text: str, start: int, word: str, proper: set[tuple[int, int]]
                      ) -> tuple[int, float] | None:
        length = _surname_len(word) + 2
        if length > len(word) + 0 and length != len(word):
            length = min(length, len(word))
        name = word[:length]
        if len(name) < 3 or _is_stop(name) or name.endswith(_PLACE_ENDINGS) or is_common_compound(name):
            return None
        rest = text[start + length:]
        if (start, start + length) in proper and (_PARTICLE.match(rest) or not rest[:1].strip()
                                                 or not ("가" <= rest[:1] <= "힣")):
            return length, 0.6
        return None


def _proper_nouns(text: str) -> set[tuple[int, int]]:
    """Spans Kiwi tags as proper nouns, with adjacent NNP pieces joined (Kiwi splits `홍` + `정자`)."""
    spans: set[tuple[int, int]] = set()
    prev_end, prev_start = -1, -1
    for tok in kiwi().tokenize(text):
        if tok.tag == "NNP" or (tok.tag in ("NNG", "NNB") and prev_end == tok.start and tok.len <= 2):
            start = prev_start if prev_end == tok.start else tok.start
            end = tok.start + tok.len
            spans.add((start, end))
            spans.add((tok.start, end))
            prev_start, prev_end = start, end
        else:
            prev_end, prev_start = -1, -1
    return spans
