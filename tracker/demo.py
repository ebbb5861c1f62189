"""A realistic sample ledger (sources, ~20 units, every status, overdue and due-soon items),
written in bulk so 100,000 problems take seconds, not minutes."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable

from sqlalchemy import func, insert, select

from tracker import clock
from tracker.db.engine import Ledger
from tracker.db.orm import Category, Measure, Problem, ProgressNote, Source, Unit
from tracker.domain import DEFAULT_CATEGORIES, DeadlineKind, SourceKind, Status
from tracker.errors import ValidationError
from tracker.rollup import MeasureFacts, roll_up
from tracker.text import search_text

UNITS = [
    "市教育局", "市财政局", "市人社局", "市委编办", "市发展改革委", "市自然资源局", "市住建局",
    "市公安局", "市卫健委", "市市场监管局", "市委宣传部", "市委组织部", "沙坡头区政府",
    "中宁县政府", "海原县政府", "市应急管理局", "市消防救援支队", "市交通运输局", "市民政局",
    "团市委",
]
SOURCES = [
    (SourceKind.EVALUATION, "2021年履行教育职责评价反馈问题", 2021, "自治区人民政府教育督导委员会办公室",
     "宁政教督办〔2022〕8号", dt.date(2022, 6, 15)),
    (SourceKind.SELF_CHECK, "2022年履行教育职责自查自评问题", 2022, "市人民政府", "", dt.date(2023, 3, 1)),
    (SourceKind.INSPECTION, "市委第三巡察组反馈问题", 2023, "市委巡察办", "卫巡反〔2023〕3号",
     dt.date(2023, 9, 20)),
    (SourceKind.AUDIT, "教育经费使用专项审计问题", 2024, "市审计局", "卫审报〔2024〕12号",
     dt.date(2024, 5, 10)),
    (SourceKind.SPECIAL, "校园食品安全专项督导问题", 2025, "市人民政府教育督导室", "卫教督〔2025〕5号",
     dt.date(2025, 4, 8)),
    (SourceKind.EVALUATION, "2025年履行教育职责评价反馈问题", 2025, "自治区人民政府教育督导委员会办公室",
     "宁政教督办〔2026〕4号", dt.date(2026, 5, 20)),
]
SCHOOLS = ["中卫一中", "中卫三中", "海原五小", "中宁二小", "沙坡头区第九幼儿园", "市职业技术学校",
           "宣和镇中心小学", "兴仁镇中学", "中卫十一小", "海兴二小", "常乐镇中心幼儿园", "中宁中学"]
# (category, problem, goal, measures as (text, lead unit index or None))
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


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _deadline(rng: random.Random, today: dt.date) -> tuple[dt.date | None, str, DeadlineKind]:
    roll = rng.random()
    if roll < 0.12:
        return None, "长期坚持", DeadlineKind.ONGOING
    if roll < 0.22:
        d = today + dt.timedelta(days=rng.randint(1, 7))
    elif roll < 0.34:
        d = today + dt.timedelta(days=rng.randint(8, 30))
    elif roll < 0.55:
        d = dt.date(today.year, 12, 31)
        return d, "年底前", DeadlineKind.DATED
    elif roll < 0.75:
        d = _month_end(today.year + 1, rng.choice([3, 6, 7, 12]))
        return d, f"{d.year}年{d.month}月底前", DeadlineKind.DATED
    else:
        d = today - dt.timedelta(days=rng.randint(10, 700))
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


def build_demo(
    ledger: Ledger, problems: int = 120, seed: int = 2026, today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add a sample ledger of ``problems`` problems in one transaction; returns how many."""
    rng = random.Random(seed)
    today = today or clock.today()
    now = clock.now().replace(microsecond=0)
    with ledger.write() as s:
        existing = s.scalar(select(func.count()).select_from(Problem)) or 0
        if existing:
            # The default ledger is the clerk's real one: sample problems must never mix in.
            raise ValidationError(
                f"台账“{ledger.path.name}”里已有 {existing} 个问题。示例台账只能生成到空台账中，"
                "请用 --db 指定一个新文件。"
            )
        units = {}
        for name in UNITS:
            u = s.scalars(select(Unit).where(Unit.name == name)).first()
            if u is None:
                u = Unit(name=name, contact=rng.choice(["王", "李", "张", "刘", "马"]) + "科长",
                         phone=f"0955-70{rng.randint(10000, 99999)}")
                s.add(u)
            units[name] = u
        cats = {}
        for i, name in enumerate(DEFAULT_CATEGORIES, start=1):
            c = s.scalars(select(Category).where(Category.name == name)).first()
            if c is None:
                c = Category(name=name, position=i)
                s.add(c)
            cats[name] = c
        srcs = []
        for src_kind, title, year, issuer, doc, issued in SOURCES:
            src = Source(kind=src_kind.value, title=title, year=year, issuer=issuer, doc_number=doc,
                         issued_on=issued)
            s.add(src)
            srcs.append(src)
        s.flush()
        pid = (s.scalar(select(func.max(Problem.id))) or 0) + 1
        mid = (s.scalar(select(func.max(Measure.id))) or 0) + 1
        nid = (s.scalar(select(func.max(ProgressNote.id))) or 0) + 1
        seqs = {src.id: 0 for src in srcs}
        batch_p: list[dict[str, object]] = []
        batch_m: list[dict[str, object]] = []
        batch_n: list[dict[str, object]] = []

        def flush_batches() -> None:
            if batch_p:
                s.execute(insert(Problem), batch_p)
                s.execute(insert(Measure), batch_m)
            if batch_n:
                s.execute(insert(ProgressNote), batch_n)
            batch_p.clear()
            batch_m.clear()
            batch_n.clear()

        for i in range(problems):
            src = srcs[i % len(srcs)]
            seqs[src.id] += 1
            cat, text, goal, measure_texts = TEMPLATES[rng.randrange(len(TEMPLATES))]
            lead = UNITS[rng.randrange(len(UNITS))] if rng.random() < 0.6 else "市教育局"
            desc = text.format(s=rng.choice(SCHOOLS))
            owner = rng.choice(["王建国", "李红梅", "张伟", "马晓东", "刘芳", "杨帆", "周敏"])
            n_measures = rng.randint(1, min(4, len(measure_texts) + 1))
            facts, parts = [], [desc, goal, owner, lead]
            stage = rng.random()
            for pos in range(1, n_measures + 1):
                mtext = measure_texts[(pos - 1) % len(measure_texts)]
                if pos > len(measure_texts):
                    mtext = "建立长效机制，定期开展“回头看”"
                munit = lead if rng.random() < 0.7 else UNITS[rng.randrange(len(UNITS))]
                date, dtext, kind = _deadline(rng, today)
                status = _status(rng, date, today, stage)
                done_on = None if status.is_open else min(today, date or today)
                batch_m.append(dict(
                    id=mid, problem_id=pid, position=pos, text=mtext,
                    lead_unit_id=units[munit].id, co_units="市财政局" if pos == 1 else "",
                    owner=owner, deadline=date, deadline_text=dtext, deadline_kind=kind.value,
                    status=status.value, done_on=done_on, created_at=now, updated_at=now,
                    version=1))
                if status is not Status.NOT_STARTED and rng.random() < 0.7:
                    batch_n.append(dict(id=nid, measure_id=mid, created_at=now,
                                        noted_on=today - dt.timedelta(days=rng.randint(1, 90)),
                                        text=f"已完成{mtext[:8]}相关工作，形成阶段性成果"))
                    nid += 1
                facts.append(MeasureFacts(status, date, kind, dtext))
                parts += [mtext, owner, munit, dtext]
                mid += 1
            r = roll_up(facts)
            closed = r.status is Status.CLOSED
            batch_p.append(dict(
                id=pid, source_id=src.id, seq=seqs[src.id], category_id=cats[cat].id,
                description=desc, goal=goal, lead_unit_id=units[lead].id,
                co_units="市财政局、市人社局" if rng.random() < 0.3 else "", leader="分管副市长",
                owner=owner, remarks="", closeout_by="市教育督导室" if closed else "",
                closeout_on=today - dt.timedelta(days=rng.randint(1, 60)) if closed else None,
                closeout_note="经现场核查，整改到位" if closed else "",
                status=r.status.value, deadline=r.deadline, open_deadline=r.open_deadline,
                deadline_text=r.deadline_text, measures_total=r.total, measures_done=r.done,
                search_text=search_text(parts), created_at=now, updated_at=now, version=1))
            pid += 1
            if len(batch_p) >= 5000:
                flush_batches()
                if progress:
                    progress(i + 1, problems)
        flush_batches()
        if progress:
            progress(problems, problems)
    return problems
