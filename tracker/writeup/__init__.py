"""Reports that write themselves: 整改情况报告, 巡察整改通报 and 调度通报 in GB/T 9704 layout,
or a clerk's own Word template, from the ledger as of a day (no Qt, no ORM)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import ValidationError
from tracker.writeup.model import TEMPLATE_NAMES, Block, ReportData, ReportOptions, template_key

if TYPE_CHECKING:
    from tracker.db.engine import Ledger

# The parts that read a ledger are imported when used: `rectify`'s parser imports the template
# names from here, and building it must not load SQLAlchemy (every command would pay for it).

__all__ = ["Block", "ReportData", "ReportOptions", "TEMPLATE_NAMES", "build_blocks", "gather",
           "template_key", "write_report", "docx_blocks"]


def _custom_path(name: str) -> Path | None:
    """A template given as a .docx file, or None for a built-in name."""
    if template_key(name) is not None:
        return None
    path = Path(name)
    if path.suffix.lower() != ".docx":
        names = "、".join(f"{label}({key})" for key, label in TEMPLATE_NAMES.items())
        raise ValidationError(f"未知的报告模板“{name}”，可用：{names}，或一个 .docx 模板文件。")
    return path


def gather(ledger: Ledger, options: ReportOptions) -> ReportData:
    """The facts a report states, from the ledger as of the options' day (data.gather)."""
    from tracker.writeup.data import gather as gather_facts

    return gather_facts(ledger, options)


def build_blocks(data: ReportData) -> list[Block]:
    """The built-in template's blocks for the gathered facts."""
    from tracker.writeup.builtin import BUILDERS

    key = template_key(data.options.template) or "situation"
    return BUILDERS[key](data)


def write_report(ledger: Ledger, options: ReportOptions, out: Path | str) -> ReportData:
    """Gather the facts and write the report to ``out`` (.docx); returns the facts."""
    path = Path(out)
    if path.suffix.lower() != ".docx":
        raise ValidationError(f"报告文件名应以 .docx 结尾：{path.name}")
    custom = _custom_path(options.template)
    if template_key(options.template) == "dispatch" and options.since is None:
        raise ValidationError("调度通报需要上期日期：请用 --since 指定上一次调度的日期。")
    data = gather(ledger, options)
    if custom is not None:
        from tracker.writeup.custom import render_template

        render_template(custom, data, path)
        return data
    from tracker.writeup.data import default_title
    from tracker.writeup.layout import render

    key = template_key(options.template) or "situation"
    render(build_blocks(data), path, default_title(options, key, data), options.org)
    return data


def docx_blocks(path: Path | str, limit: int = 60) -> list[Block]:
    """The first paragraphs of a written .docx as blocks (a preview of a custom template)."""
    from docx import Document

    doc = Document(str(path))
    out = []
    for p in doc.paragraphs[:limit]:
        if p.text.strip():
            kind = "title" if p.alignment is not None and int(p.alignment) == 1 else "body"
            out.append(Block(kind, p.text))
    return out
