"""Guess a problem's category (问题类别 / 评价重点) from its words, for the clerk to confirm.

Scoring: each keyword found adds its length (a longer keyword is more specific: 食品安全 beats
安全); hits in the first clause, the problem's headline, count three times. The highest score
wins; a tie goes to the category whose keyword comes first. A heading the report gives
("1.深化职业教育方面:") is tried first and wins when it names a category.
"""

from __future__ import annotations

import re

from tracker.domain import DEFAULT_CATEGORIES

# Category -> keywords. Only names from DEFAULT_CATEGORIES; "其他" is never guessed.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "党的领导": (
        "党的领导", "党的建设", "党建", "党组织", "党委", "党支部", "意识形态", "全面从严治党", "思想政治工作",
        "三会一课", "三重一大", "领导小组", "校长负责制", "党史学习",
    ),
    "教育优先发展": ("优先发展", "教育优先", "发展规划", "教育规划", "十四五"),
    "教育经费保障": (
        "经费", "投入不足", "只增不减", "生均", "预算", "资金", "保育费", "财政", "公用经费", "教育支出",
    ),
    "学校布局与学位": (
        "学位", "布局", "大班额", "校舍", "办学条件", "学校建设", "新建", "改扩建", "城镇化", "入学难",
        "城区学校", "城内学校", "设施设备", "撤并",
    ),
    "学前教育": ("学前", "幼儿园", "普惠", "入园", "保教", "幼儿"),
    "义务教育": ("义务教育", "均衡", "控辍保学", "随迁子女", "留守儿童", "不平衡", "乡村学校", "农村学校"),
    "普通高中": ("普通高中", "高中", "高考", "选课走班", "新高考", "生涯规划"),
    "职业教育": ("职业教育", "产教融合", "校企合作", "中职", "职业学校", "职教", "实训", "职业技术", "技能人才"),
    "特殊教育": ("特殊教育", "残疾", "随班就读", "送教上门", "特教", "融合教育"),
    "教师队伍": (
        "教师", "师德", "师资", "编制", "教师队伍", "教师工资", "工资待遇", "县管校聘", "教师培训", "校长",
        "班主任", "职称", "教职工", "骨干", "减负",
    ),
    "立德树人与素质教育": (
        "立德树人", "素质教育", "德育", "思想道德", "思政", "体育", "美育", "劳动教育", "五育", "心理健康",
        "综合素质", "近视", "未成年人", "教育内涵", "创新素养", "核心素养", "文明校园", "体质健康", "家庭教育",
    ),
    "双减与五项管理": (
        "双减", "五项管理", "课业负担", "作业", "校外培训", "培训机构", "课后服务", "睡眠", "手机管理",
        "读物管理", "学业负担", "考试次数",
    ),
    "平安校园": (
        "安全", "欺凌", "平安校园", "疫情", "安保", "应急", "消防", "溺水", "隐患", "法治教育", "校园周边",
        "防控", "心理疏导",
    ),
    "食堂与食品安全": ("食堂", "食品安全", "营养餐", "营养改善", "餐饮", "膳食", "餐费", "伙食", "饮用水"),
    "教育信息化": (
        "信息化", "互联网+", "互联网＋", "智慧校园", "智慧教育", "信息技术", "教育云", "智能化", "数字化",
        "网络", "信息素养", "多媒体",
    ),
    "教育督导": ("督导", "督学", "评估监测", "质量监测", "督政"),
    "规范办学": (
        "规范办学", "办学行为", "招生", "收费", "教材", "民办", "依法治校", "依法治教", "语言文字", "教辅",
        "有偿补课", "违规", "择校", "学籍",
    ),
}

_OWNER: dict[str, str] = {}
for _category, _words in KEYWORDS.items():
    assert _category in DEFAULT_CATEGORIES, _category
    for _w in _words:
        _OWNER.setdefault(_w, _category)

# One alternation, longest first, so at any position the most specific keyword is the one found.
_ANY = re.compile("|".join(re.escape(w) for w in sorted(_OWNER, key=len, reverse=True)))
# The headline is the first clause: "学生课业负担问题还没有从根本上解决，…" is about 课业负担.
_HEADLINE_END = re.compile(r"[，,。；;！!？?\n]")
_HEADLINE_WEIGHT = 3


def _scores(text: str, headline_end: int) -> tuple[dict[str, int], dict[str, int]]:
    """Score and first position per category."""
    score: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in _ANY.finditer(text):
        cat = _OWNER[m.group()]
        weight = len(m.group()) * (_HEADLINE_WEIGHT if m.start() < headline_end else 1)
        score[cat] = score.get(cat, 0) + weight
        first.setdefault(cat, m.start())
    return score, first


def guess_category(text: str, hint: str = "") -> str:
    """The most likely category for a problem described by ``text``; "" when no keyword fits."""
    if hint:
        for name in DEFAULT_CATEGORIES:
            if name != "其他" and name in hint:
                return name
        from_hint = guess_category(hint)
        if from_hint:
            return from_hint
    text = text[:2000]  # the opening of a long description is what it is about
    m = _HEADLINE_END.search(text)
    score, first = _scores(text, m.start() if m else len(text))
    if not score:
        return ""
    return max(score, key=lambda c: (score[c], -first[c]))
