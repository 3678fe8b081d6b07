"""Business prose without personal data, Korean and English: many sentence templates over the
vocabularies of :mod:`pii_synth.share.vocab`, with numbers, dates (never birth dates), organisations
and product codes. No paragraph is ever written twice in one share (a detector with caches gains
nothing from repetition)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable

from pii_synth import ids
from pii_synth.corpus.context import josa, josa_ro
from pii_synth.dates import MONTHS
from pii_synth.share import vocab as v

_SLOT = re.compile(r"\{(\w+)(?::(\w+))?\}")

KO_SENTENCES = (
    "{quarter} {metric:은는} 전년 동기 대비 {pct}% {updown}한 {amount}으로 집계되었다.",
    "{dept:은는} {project} 과제의 1단계를 {date}까지 마무리하고 2단계 착수 여부를 검토할 예정이다.",
    "{issue:으로} 인해 {product} 품목의 납기가 평균 {days}일 지연되었다.",
    "{adv} {dept:은는} {action}{ending}.",
    "{org:과와}의 협약에 따라 {year}년 하반기부터 {project} 사업비 {amount}을 분할 지원받는다.",
    "{place} 물류센터의 {metric:은는} {pct}%로 목표치({pct2}%)를 {updown2}하였다.",
    "품목코드 {code}의 단가는 {price}원에서 {price2}원으로 조정되며 {date}부터 적용한다.",
    "{date} 기준 {product} 재고는 {qty}개이며 안전재고 {qty2}개 대비 {stock_state}이다.",
    "{co:은는} {year}년 {month}월 {product} {qty}개를 발주하였고 검수는 {dept}에서 담당한다.",
    "본 건은 {role}의 승인을 거쳐 {date}에 최종 확정되었다.",
    "{year}년 예산 중 {item} 항목은 {amount}으로 편성되었으며 집행률은 {pct}%이다.",
    "{issue}에 대응하기 위해 {dept:과와} {dept2:은는} 공동 작업반을 구성하기로 하였다.",
    "{place} 지역 거래처 {n}곳을 대상으로 한 만족도 조사에서 평균 {score}점을 기록하였다.",
    "계약번호 {contract}에 대한 검수 결과 {n}건의 보완 사항이 확인되었다.",
    "{adv} {metric} 개선을 위해 {action}하는 방안이 제시되었다.",
    "{project}의 총 사업비는 {amount}이며, 이 중 {pct}%는 {org} 지원금으로 충당한다.",
    "{dept}에 따르면 {month}월 {metric:은는} {pct}% 수준으로 안정세를 보이고 있다.",
    "고객센터 대표번호 {rep}의 월평균 인입 건수는 {qty}건이며 응답률은 {pct}%이다.",
    "사업자등록번호 {brn}인 {co:과와} 연간 단가 계약을 {date}에 갱신하였다.",
    "{product} 신규 모델({code})은 {date} 출시를 목표로 시험 생산을 진행 중이다.",
    "창립 {years}주년을 맞아 {date}에 {room}에서 기념행사를 개최한다.",
    "직원 {n}명을 대상으로 {topic} 교육을 {hours}시간 실시하였다.",
    "{quarter} 수주액은 {amount}으로 전 분기보다 {pct}% {updown}하였다.",
    "{room}에서 열린 점검 회의에서 {issue} 문제가 집중적으로 논의되었다.",
    "{org}의 고시 개정({date} 시행)에 따라 관련 내부 규정을 정비할 필요가 있다.",
    "상품 바코드 {ean} 품목은 {place} 창고로 이관되었다.",
    "{adv} {project} 일정은 {weeks}주 연장되어 {date}에 종료될 예정이다.",
    "설비번호 {asset}의 정기 점검은 {date}에 실시하며 약 {hours}시간 가동이 중단된다.",
    "{dept} 소관 {item} 예산의 잔액은 {amount}이다.",
    "{year}년 {month}월 말 현재 미수채권은 {amount}이며 이 중 {pct}%가 90일을 초과하였다.",
)
KO_TOPICS = ("정보보호", "산업안전", "직장 내 괴롭힘 예방", "청렴", "개인정보보호", "성희롱 예방", "품질경영", "ESG")

EN_SENTENCES = (
    "{quarter} {metric} came in at {money}, {pct}% {updown_en} on the same period last year.",
    "The {dept} team expects to close phase one of the {project} by {date_en} and to review phase two after that.",
    "Because of {issue}, lead times for {product_en} lengthened by {days} days on average.",
    "{adv} the {dept} team agreed to {action}.",
    "Under the agreement with {co_en}, {money} of the {project} budget will be released in {n} instalments.",
    "On-time delivery at the {city} warehouse reached {pct}% against a target of {pct2}%.",
    "The list price of item {code} moves from ${usd} to ${usd2} effective {date_en}.",
    "As of {date_en}, stock of {product_en} stood at {qty} units, {stock_state_en} the reorder point of {qty2}.",
    "{co_en} placed an order for {qty} units of {product_en}; acceptance testing sits with {dept}.",
    "The change was approved by {role} on {date_en} and is now final.",
    "The {year} budget line for {item_en} is {money}, of which {pct}% has been spent.",
    "To address {issue}, {dept} and {dept2} will form a joint working group.",
    "A survey of {n} customer accounts in {city} gave an average score of {score} out of 5.",
    "Inspection of contract {contract} found {n} items that need rework.",
    "{adv} the committee proposed to {action} to improve {metric}.",
    "Total project cost for the {project} is {money}; {pct}% is covered by a government grant.",
    "According to {dept}, {metric} held steady at around {pct}% in {month_en}.",
    "The support line {rep} handled {qty} calls a month with an answer rate of {pct}%.",
    "The new {product_en} model ({code}) is in pilot production for a {date_en} launch.",
    "{n} employees completed {hours} hours of {topic_en} training this quarter.",
    "Order intake for {quarter} was {money}, {pct}% {updown_en} on the previous quarter.",
    "Planned maintenance on asset {asset} is scheduled for {date_en} with about {hours} hours of downtime.",
    "{adv} the {project} timeline slips by {weeks} weeks to {date_en}.",
    "Receivables stood at {money} at the end of {month_en} {year}, {pct}% of it past 90 days.",
    "Items with barcode {ean} were moved to the {city} distribution centre.",
    "Section {n} of the policy applies to all contractors from {date_en}.",
)
EN_TOPICS = ("information security", "workplace safety", "anti-bribery", "data protection", "first aid", "forklift")
MONTHS_EN = MONTHS  # one list of English month names (pii_synth.dates)


class Prose:
    """Paragraph factory on one random stream; ``seen`` guarantees no paragraph is repeated."""

    def __init__(self, rng: random.Random, year: int = 2024) -> None:
        self.rng = rng
        self.year = year
        self.seen: set[str] = set()
        ko = self._make_slots()
        self._slots: dict[str, dict[str, Callable[[], str]]] = {"ko": ko, "en": {**ko, **self._en_slots()}}

    # -- values -------------------------------------------------------------------------------------
    def date(self) -> dt.date:
        return dt.date(self.year, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 540))

    def ko_date(self) -> str:
        d = self.date()
        return self.rng.choice(
            (f"{d.year}년 {d.month}월 {d.day}일", f"{d:%Y. %-m. %-d.}", f"{d:%Y-%m-%d}", f"{d:%Y.%m.%d}")
        )

    def en_date(self) -> str:
        d = self.date()
        return self.rng.choice((f"{d:%B} {d.day}, {d.year}", f"{d.day} {d:%B %Y}", f"{d:%Y-%m-%d}", f"{d:%b %d}"))

    def amount(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.4:
            return f"{r.randrange(1, 999)}억 {r.randrange(1, 99) * 100:,}만원"
        if kind < 0.8:
            return f"{r.randrange(10, 99_999):,}백만원"
        return f"{r.randrange(1_000_000, 900_000_000):,}원"

    def money(self) -> str:
        r = self.rng
        return r.choice(
            (
                f"${r.randrange(10, 9999) / 10:.1f} million",
                f"${r.randrange(1000, 999_999):,}",
                f"KRW {r.randrange(1, 950)} billion",
            )
        )

    def code(self) -> str:
        r = self.rng
        return (
            f"{r.choice(('HB', 'KX', 'SJ', 'TP', 'MR', 'DW', 'NX'))}-{r.randrange(1000, 9999)}"
            f"{r.choice(('', '-K', '-A', '-EU', 'R'))}"
        )

    def company(self) -> str:
        r = self.rng
        name = r.choice(v.CO_HEAD) + r.choice(v.CO_TAIL)
        return r.choice((f"(주){name}", f"{name}(주)", name, f"{name} 주식회사"))

    def company_en(self) -> str:
        r = self.rng
        return f"{r.choice(v.CO_HEAD_EN)} {r.choice(v.CO_TAIL_EN)} {r.choice(('Inc.', 'Ltd.', 'Co.', 'GmbH', 'LLC'))}"

    def rep_number(self) -> str:
        r = self.rng
        return f"{r.choice(('1588', '1577', '1544', '1566', '1600', '1899'))}-{r.randrange(0, 10000):04d}"

    def _make_slots(self) -> dict[str, Callable[[], str]]:
        r = self.rng

        def pct() -> str:
            return f"{r.randrange(1, 999) / 10:.1f}"

        return {
            "quarter": lambda: (
                f"{self.year}년 {r.randrange(1, 5)}분기" if r.random() < 0.7 else f"{self.year} Q{r.randrange(1, 5)}"
            ),
            "metric": lambda: r.choice(v.METRICS),
            "pct": pct,
            "pct2": pct,
            "updown": lambda: r.choice(("증가", "감소", "상승", "하락")),
            "updown2": lambda: r.choice(("상회", "하회")),
            "amount": self.amount,
            "dept": lambda: r.choice(v.DEPTS),
            "dept2": lambda: r.choice(v.DEPTS),
            "project": lambda: r.choice(v.PROJECTS),
            "date": self.ko_date,
            "issue": lambda: r.choice(v.ISSUES_KO),
            "product": lambda: r.choice(v.PRODUCTS),
            "days": lambda: str(r.randrange(2, 45)),
            "weeks": lambda: str(r.randrange(2, 12)),
            "adv": lambda: r.choice(v.ADVERBS_KO),
            "action": lambda: r.choice(v.ACTIONS_KO),
            "ending": lambda: r.choice(v.ENDINGS_KO),
            "org": lambda: r.choice(v.PUBLIC_ORGS),
            "year": lambda: str(self.year + r.randrange(-1, 2)),
            "month": lambda: str(r.randrange(1, 13)),
            "place": lambda: r.choice(v.PLACES),
            "code": self.code,
            "price": lambda: f"{r.randrange(100, 90_000) * 10:,}",
            "price2": lambda: f"{r.randrange(100, 90_000) * 10:,}",
            "qty": lambda: f"{r.randrange(12, 250_000):,}",
            "qty2": lambda: f"{r.randrange(12, 50_000):,}",
            "stock_state": lambda: r.choice(("여유", "부족", "적정 수준", "과다")),
            "co": self.company,
            "role": lambda: r.choice(v.ROLES),
            "item": lambda: r.choice(v.ITEMS),
            "n": lambda: str(r.randrange(2, 400)),
            "score": lambda: f"{r.randrange(250, 500) / 100:.2f}",
            "contract": lambda: f"{self.year}-{r.choice(('구매', '용역', '공사', 'PO'))}-{r.randrange(1, 9999):04d}",
            "rep": self.rep_number,
            "brn": lambda: ids.business_reg_no(r),
            "years": lambda: str(r.randrange(5, 60)),
            "room": lambda: r.choice(v.ROOMS),
            "topic": lambda: r.choice(KO_TOPICS),
            "hours": lambda: str(r.randrange(1, 17)),
            "ean": lambda: ids.ean13(r),
            "asset": lambda: f"EQ-{r.choice('ABCDEFG')}{r.randrange(100, 999)}-{r.randrange(1, 99):02d}",
            # English
            "updown_en": lambda: r.choice(("up", "down")),
            "date_en": self.en_date,
            "product_en": lambda: r.choice(
                (
                    "industrial sensors",
                    "LED modules",
                    "pallet wrap",
                    "bearings",
                    "control panels",
                    "air filters",
                    "label printers",
                    "safety boots",
                    "hydraulic cylinders",
                    "cooling fans",
                    "barcode scanners",
                )
            ),
            "co_en": self.company_en,
            "city": lambda: r.choice(v.CITIES_EN),
            "usd": lambda: f"{r.randrange(100, 99_999) / 100:,.2f}",
            "usd2": lambda: f"{r.randrange(100, 99_999) / 100:,.2f}",
            "stock_state_en": lambda: r.choice(("well above", "just below", "in line with", "far below")),
            "item_en": lambda: r.choice(
                (
                    "software licences",
                    "travel",
                    "training",
                    "facility repairs",
                    "freight",
                    "printing",
                    "insurance",
                    "cloud hosting",
                    "legal fees",
                    "recruitment",
                )
            ),
            "month_en": lambda: r.choice(MONTHS_EN),
            "topic_en": lambda: r.choice(EN_TOPICS),
            "money": self.money,
        }

    def _en_slots(self) -> dict[str, Callable[[], str]]:
        r = self.rng
        return {
            "quarter": lambda: r.choice(
                (
                    f"Q{r.randrange(1, 5)} {self.year}",
                    f"The {r.choice(('first', 'second', 'third', 'fourth'))} quarter's",
                )
            ),
            "metric": lambda: r.choice(v.METRICS_EN),
            "dept": lambda: r.choice(v.DEPTS_EN),
            "dept2": lambda: r.choice(v.DEPTS_EN),
            "project": lambda: r.choice(v.PROJECTS_EN),
            "issue": lambda: r.choice(v.ISSUES_EN),
            "action": lambda: r.choice(v.ACTIONS_EN),
            "adv": lambda: r.choice(v.ADVERBS_EN),
            "role": lambda: r.choice(v.ROLES_EN),
            "contract": lambda: f"{r.choice(('PO', 'SOW', 'MSA'))}-{self.year}-{r.randrange(1, 9999):04d}",
        }

    # -- text ---------------------------------------------------------------------------------------
    def fill(self, template: str, lang: str = "ko") -> str:
        slots = self._slots[lang]

        def sub(m: re.Match[str]) -> str:
            name, particle = m.group(1), m.group(2)
            value = slots[name]()
            if particle is None:
                return value
            if particle in ("로", "으로"):
                return josa_ro(value)
            return josa(value, particle)

        return _SLOT.sub(sub, template)

    def sentence(self, lang: str) -> str:
        if lang == "ko":
            s = self.fill(self.rng.choice(KO_SENTENCES))
        else:
            s = self.fill(self.rng.choice(EN_SENTENCES), "en")
        return s[0].upper() + s[1:] if lang == "en" else s

    def paragraph(self, lang: str, lo: int = 2, hi: int = 7) -> str:
        """A new paragraph (never one this share has seen)."""
        while True:
            text = " ".join(self.sentence(lang) for _ in range(self.rng.randint(lo, hi)))
            if text not in self.seen:
                self.seen.add(text)
                return text

    def heading(self, lang: str) -> str:
        r = self.rng
        if lang == "ko":
            return r.choice(
                (
                    f"{r.choice(v.PROJECTS)} 추진 현황",
                    f"{r.choice(v.METRICS)} 분석",
                    f"{r.choice(v.ISSUES_KO)} 대응 방안",
                    f"{r.choice(v.DEPTS)} 주요 업무",
                    "향후 계획",
                    "문제점 및 개선 방안",
                    "예산 집행 현황",
                    "행정 사항",
                    f"{r.choice(v.PLACES)} 사업장 현황",
                    "위험 요인 및 대책",
                )
            )
        return r.choice(
            (
                f"{r.choice(v.PROJECTS_EN).capitalize()} status",
                f"{r.choice(v.METRICS_EN).capitalize()} review",
                "Risks and mitigations",
                "Next steps",
                "Budget execution",
                f"{r.choice(v.CITIES_EN)} site update",
                f"{r.choice(v.DEPTS_EN)} highlights",
                "Open issues",
                "Decisions requested",
            )
        )
