"""A realistic sample ledger (sources, ~20 units, every status, overdue and due-soon items),
generated as plain data with a timeline that could be real: each problem is entered after its
source was issued, its measures after it, progress notes while the work ran, completion dates
spread over the past months and close-out after the last measure was done. Written in bulk by
tracker.services.demo_write, so 100,000 problems take seconds, not minutes."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from tracker import clock
from tracker.demo_model import (
    DemoLedger,
    DemoMeasure,
    DemoNote,
    DemoProblem,
    DemoSource,
    DemoUnit,
)
from tracker.domain import DEFAULT_CATEGORIES, DeadlineKind, SourceKind, Status
from tracker.rollup import MeasureFacts, roll_up
from tracker.rules import MeasureWords, problem_search_text

if TYPE_CHECKING:  # the generation itself needs no database
    from tracker.db.engine import Ledger

T = TypeVar("T")

UNITS = [
    "市教育局", "市财政局", "市人社局", "市委编办", "市发展改革委", "市自然资源局", "市住建局",
    "市公安局", "市卫健委", "市市场监管局", "市委宣传部", "市委组织部", "沙坡头区政府",
    "中宁县政府", "海原县政府", "市应急管理局", "市消防救援支队", "市交通运输局", "市民政局",
    "团市委",
]
# (kind, title, year, issuer, document number, issued on) as of 2026; "{y}" is the year the
# source is about and "{d}" the year it was issued, so _sources() can move them by whole years.
SOURCES = [
    (SourceKind.EVALUATION, "{y}年履行教育职责评价反馈问题", 2021, "自治区人民政府教育督导委员会办公室",
     "宁政教督办〔{d}〕8号", dt.date(2022, 6, 15)),
    (SourceKind.SELF_CHECK, "{y}年履行教育职责自查自评问题", 2022, "市人民政府", "", dt.date(2023, 3, 1)),
    (SourceKind.INSPECTION, "市委第三巡察组反馈问题", 2023, "市委巡察办", "卫巡反〔{d}〕3号",
     dt.date(2023, 9, 20)),
    (SourceKind.AUDIT, "教育经费使用专项审计问题", 2024, "市审计局", "卫审报〔{d}〕12号",
     dt.date(2024, 5, 10)),
    (SourceKind.SPECIAL, "校园食品安全专项督导问题", 2025, "市人民政府教育督导室", "卫教督〔{d}〕5号",
     dt.date(2025, 4, 8)),
    (SourceKind.EVALUATION, "{y}年履行教育职责评价反馈问题", 2025, "自治区人民政府教育督导委员会办公室",
     "宁政教督办〔{d}〕4号", dt.date(2026, 5, 20)),
]
SCHOOLS = ["中卫一中", "中卫三中", "海原五小", "中宁二小", "沙坡头区第九幼儿园", "市职业技术学校",
           "宣和镇中心小学", "兴仁镇中学", "中卫十一小", "海兴二小", "常乐镇中心幼儿园", "中宁中学"]
# (category, problem, goal, measure texts)
TEMPLATES: list[tuple[str, str, str, list[str]]] = [
    ("教师队伍", "{s}等学校教师结构性缺编，音体美和心理健康教师不足**名",
     "按标准配齐配足学科教师",
     ["核定中小学教职工编制，空编即补", "通过公开招聘、特岗计划补充紧缺学科教师",
      "推进县管校聘，统筹调配城乡教师"]),
    ("食堂与食品安全", "{s}食堂食品留样、晨检记录不规范，从业人员健康证过期",
     "食堂管理全面达标，健康证100%有效",
     ["开展校园食品安全专项检查", "组织食堂从业人员体检和培训", "落实校长陪餐制度和明厨亮灶"]),
    ("平安校园", "{s}校园视频监控存在盲区，一键报警未与公安联网",
     "实现校园安防“四个百分百”",
     ["补装视频监控并接入公安平台", "配齐专职保安和防卫器械", "每学期开展应急疏散演练"]),
    ("教育经费保障", "生均公用经费未按时足额拨付，{s}欠拨*万元", "经费按标准足额及时拨付",
     ["核清欠拨经费并一次性拨付到位", "建立经费拨付台账，按季度通报"]),
    ("学校布局与学位", "城区学位紧张，{s}存在**人以上大班额", "全面消除大班额",
     ["加快新建学校建设进度", "科学调整招生片区", "通过教师走教、租赁校舍扩充学位"]),
    ("职业教育", "职业教育产教融合运行机制不完善，{s}校企合作流于形式",
     "建成“校中厂”“厂中校”，产教深度融合",
     ["与重点企业共建实训基地", "推进现代学徒制试点", "完善兼职教师聘用机制"]),
    ("双减与五项管理", "{s}作业总量控制不到位，课后服务内容单一", "作业负担明显减轻，课后服务提质",
     ["制定作业管理细则并公示", "丰富课后服务课程资源", "开展双减专项督导"]),
    ("教育信息化", "{s}信息化应用水平不高，智慧课堂使用率低", "信息技术与教学深度融合",
     ["开展教师信息技术应用能力全员培训", "将平台应用纳入学校考核"]),
    ("党的领导", "学校党组织领导的校长负责制落实不够到位，{s}议事规则不健全",
     "党组织领导的校长负责制全面落实",
     ["修订完善党组织会议和校长办公会议议事规则", "开展党建工作专项检查"]),
    ("学前教育", "普惠性幼儿园覆盖率偏低，{s}办园条件不达标", "普惠率达到90%以上",
     ["新建改扩建公办幼儿园", "认定扶持普惠性民办幼儿园", "落实生均公用经费补助"]),
    ("特殊教育", "残疾儿童少年送教上门不规范，{s}记录不全", "适龄残疾儿童少年入学率达到97%",
     ["建立送教上门工作台账", "完善资源教室并配备专职教师"]),
    ("教育督导", "责任督学挂牌督导作用发挥不充分，督导问题整改跟踪不及时",
     "督导结果运用和问责机制健全", ["完善督学聘任考核办法", "建立督导问题整改台账和销号制度"]),
]


OWNERS = ["王建国", "李红梅", "张伟", "马晓东", "刘芳", "杨帆", "周敏"]
# The ledger was set up this long before today; older sources were entered (back-filled) over
# its first months, newer ones within weeks of being issued.
WINDOW_DAYS = 540
BACKFILL_DAYS = 150
NEW_SOURCE_DAYS = 45
# The newest sample source is issued at least this long before today, so its problems have had
# time to move (and no source is ever issued after today).
NEWEST_SOURCE_AGE = dt.timedelta(days=120)
# Seconds after midnight and length of the part of a working day each kind of event falls in,
# so that events of one day keep their order: entered, noted, done, closed out.
SOURCE_HOURS = (8 * 3600 + 1800, 1800)
ENTRY_HOURS = (9 * 3600, 2 * 3600)
NOTE_HOURS = (14 * 3600, 5400)
DONE_HOURS = (15 * 3600 + 1800, 5400)
CLOSE_HOURS = (17 * 3600, 3600)


class _Rng(random.Random):
    """random.Random with randint, randrange and choice drawn from one float: several times
    cheaper than the exact versions (most of the generation time), and unbiased enough for
    sample data."""

    def randint(self, a: int, b: int) -> int:
        """A whole number from a to b inclusive."""
        return a + int(self.random() * (b - a + 1))

    def randrange(self, n: int) -> int:  # type: ignore[override]
        """A whole number from 0 to n - 1."""
        return int(self.random() * n)

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        """One element of a non-empty sequence."""
        return seq[int(self.random() * len(seq))]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _at(rng: random.Random, day: dt.date, hours: tuple[int, int]) -> dt.datetime:
    """A moment in the given part of ``day``."""
    second = hours[0] + rng.randrange(hours[1])
    return dt.datetime(day.year, day.month, day.day, second // 3600, second // 60 % 60,
                       second % 60)


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _sources(rng: random.Random, today: dt.date) -> list[DemoSource]:
    """The sample sources moved by whole years so the newest is a few months old on ``today``;
    each is entered when the ledger starts or, if issued later, a few days after issue."""
    newest = max(src[5] for src in SOURCES)
    years = today.year - newest.year
    while _shift_year(newest, years) > today - NEWEST_SOURCE_AGE:
        years -= 1
    start = today - _days(WINDOW_DAYS)
    out = []
    for kind, title, year, issuer, doc, issued in SOURCES:
        issued_on = _shift_year(issued, years)
        entered = max(issued_on + _days(rng.randint(3, 10)), start)
        out.append(DemoSource(
            kind.value, title.format(y=year + years), year + years, issuer,
            doc.format(d=issued_on.year), issued_on, _at(rng, entered, SOURCE_HOURS)))
    return out


def _deadline(rng: random.Random, today: dt.date, created: dt.date
              ) -> tuple[dt.date | None, str, DeadlineKind]:
    """A deadline in today's mix (ongoing, due within a week or a month, year end, next year,
    or already past), never before the measure was entered."""
    roll = rng.random()
    if roll < 0.12:
        return None, "长期坚持", DeadlineKind.ONGOING
    if roll < 0.22:
        d = today + _days(rng.randint(1, 7))
    elif roll < 0.34:
        d = today + _days(rng.randint(8, 30))
    elif roll < 0.55:
        d = dt.date(today.year, 12, 31)
        # Written in the year it was set: "年底前" then meant that year's end.
        return d, "年底前" if created.year == d.year else f"{d.year}年底前", DeadlineKind.DATED
    elif roll < 0.75:
        d = _month_end(today.year + 1, rng.choice([3, 6, 7, 12]))
        return d, f"{d.year}年{d.month}月底前", DeadlineKind.DATED
    else:
        # Past: set at least three weeks after the measure was entered.
        first, last = created + _days(21), today - _days(10)
        if first > last:
            d = today + _days(rng.randint(8, 30))
        else:
            d = first + _days(rng.randint(0, (last - first).days))
    return d, f"{d.year}年{d.month}月{d.day}日", DeadlineKind.DATED


def _status(rng: random.Random, deadline: dt.date | None, today: dt.date, stage: float
            ) -> Status:
    # A problem's measures move together: a quarter of problems are closed out, a sixth done.
    if stage < 0.25:
        return Status.CLOSED
    if stage < 0.42:
        return Status.DONE
    if deadline is None:
        return rng.choice([Status.ONGOING, Status.ONGOING, Status.IN_PROGRESS])
    past = deadline < today
    r = rng.random()
    if past:
        return Status.CLOSED if r < 0.45 else Status.DONE if r < 0.75 else Status.IN_PROGRESS
    return (Status.NOT_STARTED if r < 0.25 else Status.IN_PROGRESS if r < 0.75
            else Status.DONE)


def _done_on(rng: random.Random, created: dt.date, deadline: dt.date | None, today: dt.date
             ) -> dt.date:
    """When a finished measure was finished: after some days of work, mostly by its deadline
    (a fifth run late), spread over the time it had, so completions accumulate month by month."""
    first = min(today, created + _days(rng.randint(5, 40)))
    last = today
    if deadline is not None and first <= deadline and rng.random() < 0.8:
        last = min(deadline, today)
    return first + _days(rng.randint(0, (last - first).days))


def _notes(rng: random.Random, status: Status, created: dt.datetime, until: dt.date,
           text: str) -> list[DemoNote]:
    """Progress notes dated between the measure's entry and its completion (or today)."""
    if status is Status.NOT_STARTED or rng.random() >= 0.7:
        return []
    r = rng.random()
    count = 1 if r < 0.6 else 2 if r < 0.9 else 3
    span = (until - created.date()).days
    days = sorted(created.date() + _days(rng.randint(0, span)) for _ in range(count))
    subject = text[:8]
    notes = []
    for i, day in enumerate(days):
        last = i == count - 1
        words = (f"已完成{subject}相关工作，形成阶段性成果" if last and not status.is_open
                 else f"{subject}工作正在推进，已完成阶段性任务")
        notes.append(DemoNote(day, words, _at(rng, day, NOTE_HOURS)))
    return notes


def _problems(rng: random.Random, today: dt.date, sources: list[DemoSource], count: int
              ) -> Iterator[DemoProblem]:
    """Generate the problems one by one, each with a consistent timeline ending by ``today``."""
    start = today - _days(WINDOW_DAYS)
    seqs = [0] * len(sources)
    for i in range(count):
        si = i % len(sources)
        seqs[si] += 1
        src = sources[si]
        cat, text, goal, measure_texts = TEMPLATES[rng.randrange(len(TEMPLATES))]
        lead = UNITS[rng.randrange(len(UNITS))] if rng.random() < 0.6 else "市教育局"
        desc = text.format(s=rng.choice(SCHOOLS))
        owner = rng.choice(OWNERS)
        co_units = "市财政局、市人社局" if rng.random() < 0.3 else ""
        first = src.created_at.date()
        spread = BACKFILL_DAYS if src.issued_on < start else NEW_SOURCE_DAYS
        p_day = first + _days(rng.randint(0, min(spread, (today - first).days)))
        p_at = _at(rng, p_day, ENTRY_HOURS)
        n_measures = rng.randint(1, min(4, len(measure_texts) + 1))
        stage = rng.random()
        measures: list[DemoMeasure] = []
        facts: list[MeasureFacts] = []
        for pos in range(1, n_measures + 1):
            mtext = measure_texts[(pos - 1) % len(measure_texts)]
            if pos > len(measure_texts):
                mtext = "建立长效机制，定期开展“回头看”"
            munit = lead if rng.random() < 0.7 else UNITS[rng.randrange(len(UNITS))]
            # Most measures are written with the problem; some are added in the weeks after.
            if rng.random() < 0.8:
                m_at = p_at + dt.timedelta(seconds=40 * pos)
            else:
                later = _at(rng, min(today, p_day + _days(rng.randint(1, 20))), ENTRY_HOURS)
                # Capped at today, a later measure may fall on the problem's own day.
                m_at = max(later, p_at + dt.timedelta(seconds=40 * pos))
            m_day = m_at.date()
            date, dtext, kind = _deadline(rng, today, m_day)
            status = _status(rng, date, today, stage)
            done_on = None if status.is_open else _done_on(rng, m_day, date, today)
            notes = _notes(rng, status, m_at, done_on or today, mtext)
            updated = notes[-1].created_at if notes else m_at
            if done_on is not None:
                updated = max(updated, _at(rng, done_on, DONE_HOURS))
            measures.append(DemoMeasure(
                mtext, munit, "市财政局" if pos == 1 else "", owner, date, dtext, kind.value,
                status.value, done_on, m_at, updated, notes))
            facts.append(MeasureFacts(status, date, kind, dtext))
        r = roll_up(facts)
        closeout_on = None
        p_updated = max([p_at] + [m.updated_at for m in measures])
        if r.status is Status.CLOSED:
            # Verified and closed out (销号) within weeks of the last measure being done; the
            # close-out touches every measure, as services.problems.close_out does.
            last_done = max(m.done_on for m in measures if m.done_on is not None)
            closeout_on = min(today, last_done + _days(rng.randint(3, 45)))
            p_updated = _at(rng, closeout_on, CLOSE_HOURS)
            for m in measures:
                m.updated_at = p_updated
        search = problem_search_text(
            desc, goal, "", owner, "分管副市长", co_units, lead,
            (MeasureWords(m.text, m.owner, m.co_units, m.deadline_text, m.lead_unit)
             for m in measures))
        closed = closeout_on is not None
        yield DemoProblem(
            si, seqs[si], cat, desc, goal, lead, co_units, "分管副市长", owner, "",
            "市教育督导室" if closed else "", closeout_on, "经现场核查，整改到位" if closed else "",
            r.status.value, r.deadline, r.open_deadline, r.deadline_text, r.total, r.done,
            search, p_at, p_updated, measures)


def plan_demo(problems: int = 120, seed: int = 2026, today: dt.date | None = None) -> DemoLedger:
    """The sample ledger as plain data, the same for the same ``seed`` and ``today``."""
    rng = _Rng(seed)
    day = today or clock.today()
    units = [DemoUnit(name, rng.choice(["王", "李", "张", "刘", "马"]) + "科长",
                      f"0955-70{rng.randint(10000, 99999)}") for name in UNITS]
    sources = _sources(rng, day)
    return DemoLedger(day, units, DEFAULT_CATEGORIES, sources, problems,
                      _problems(rng, day, sources, problems))


def build_demo(
    ledger: Ledger, problems: int = 120, seed: int = 2026, today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add a sample ledger of ``problems`` problems in one transaction; returns how many."""
    from tracker.services.demo_write import write_demo  # the ORM stays in tracker.services

    return write_demo(ledger, plan_demo(problems, seed, today), progress)
