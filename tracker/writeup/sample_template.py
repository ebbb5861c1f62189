"""The sample Word template a clerk copies and edits (resources/templates/): the built-in
整改情况报告 written with docxtpl placeholders, in the same GB/T 9704 layout."""

from __future__ import annotations

from pathlib import Path

from tracker.writeup.builtin import NEXT_STEPS, NEXT_STEPS_HINT, UNIT_HEADER, UNIT_WIDTHS
from tracker.writeup.layout import render
from tracker.writeup.model import Block

SAMPLE_NAME = "整改情况报告-模板.docx"


def sample_blocks() -> list[Block]:
    """The 整改情况报告 as placeholders: {{ … }} values, {%p … %} loops over paragraphs and
    {%tr … %} over table rows (docs/report-templates.md lists every name)."""
    return [
        Block("title", "{{ title }}"),
        Block("body", "{{ sentence }}现将有关情况报告如下。"),
        Block("body", "{%p for s in sources %}"),
        Block("h1", "{{ s.cn }}、{{ s.name }}整改情况"),
        Block("body", "{%p for p in s.problems %}"),
        Block("h2", "{{ p.section }}问题：{{ p.description }}。"),
        Block("h3", "整改措施及进展："),
        Block("body", "{%p for m in p.measures %}"),
        Block("body", "{{ m.paragraph }}"),
        Block("body", "{%p endfor %}"),
        Block("body", "{{ p.status_sentence }}"),
        Block("body", "{%p endfor %}"),
        Block("body", "{%p endfor %}"),
        Block("h1", "各单位整改情况统计"),
        Block("table", rows=(
            UNIT_HEADER,
            ("{%tr for u in units %}",) + ("",) * (len(UNIT_HEADER) - 1),
            ("{{ u.n }}", "{{ u.unit }}", "{{ u.total }}", "{{ u.completed }}", "{{ u.open }}",
             "{{ u.overdue }}", "{{ u.ongoing }}", "{{ u.rate }}"),
            ("{%tr endfor %}",) + ("",) * (len(UNIT_HEADER) - 1),
        ), widths=UNIT_WIDTHS),
        Block("h1", NEXT_STEPS),
        Block("note", NEXT_STEPS_HINT),
        Block("sign", "{{ org }}"),
        Block("date", "{{ date }}"),
    ]


def write_sample_template(out: Path | str) -> Path:
    """Write the sample template (a .docx docxtpl fills)."""
    return render(sample_blocks(), out, "整改情况报告模板")
