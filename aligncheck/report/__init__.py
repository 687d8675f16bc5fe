"""Renderers: a Report -> JSON (the contract), Markdown, CSV, HTML. Pure functions of the report."""

from __future__ import annotations

from aligncheck.report.csv import render_csv, render_findings_csv
from aligncheck.report.html import render_html
from aligncheck.report.json import render_json, report_to_dict
from aligncheck.report.markdown import render_markdown

RENDERERS = {"json": render_json, "md": render_markdown, "csv": render_csv, "html": render_html}

__all__ = [
    "RENDERERS",
    "render_csv",
    "render_findings_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "report_to_dict",
]
