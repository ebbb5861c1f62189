"""Read a self-evaluation report or feedback letter and find its problems and measures (no Qt, no DB)."""

from tracker.report.model import ExtractedMeasure, ExtractedProblem, ExtractedReport, report_to_json
from tracker.report.parser import parse_pasted_text, parse_report_text
from tracker.report.reading import read_report_file

__all__ = [
    "ExtractedMeasure",
    "ExtractedProblem",
    "ExtractedReport",
    "parse_pasted_text",
    "parse_report_text",
    "read_report_file",
    "report_to_json",
]
