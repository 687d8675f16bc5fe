"""Build small PDFs with known layout for the ingestion tests (fpdf2, a test dependency)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def font_path(bold: bool = False) -> Path | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    return None


@dataclass
class PlanPdf:
    """A plan-like PDF: pages with a running header and footer, written top to bottom."""

    header: str = "Gemeente Testdorp | Handhavingsplan 2026-2029"
    pdf: FPDF = field(init=False)
    font: str = field(init=False)

    def __post_init__(self) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(True, margin=25)
        regular, bold = font_path(), font_path(bold=True)
        if regular and bold:
            self.pdf.add_font("body", "", str(regular))
            self.pdf.add_font("body", "B", str(bold))
            self.font = "body"
        else:  # core font: Latin-1 only, enough for the tests' text
            self.font = "helvetica"
        outer = self

        def header(pdf: FPDF = self.pdf) -> None:
            if pdf.page_no() > 1:
                pdf.set_font(outer.font, "", 8)
                pdf.set_y(8)
                pdf.cell(0, 5, outer.header, align="R")
                pdf.set_y(25)

        def footer(pdf: FPDF = self.pdf) -> None:
            if pdf.page_no() > 1:
                pdf.set_y(-15)
                pdf.set_font(outer.font, "", 8)
                pdf.cell(0, 5, f"Pagina {pdf.page_no()} van {{nb}}", align="C")

        self.pdf.header = header  # type: ignore[method-assign]
        self.pdf.footer = footer  # type: ignore[method-assign]
        self.pdf.alias_nb_pages()

    def page(self) -> None:
        self.pdf.add_page()

    def heading(self, text: str, size: float = 15) -> None:
        self.pdf.set_font(self.font, "B", size)
        self.pdf.multi_cell(0, size * 0.55, text)
        self.pdf.ln(3)

    def para(self, text: str, width: float = 0, align: str = "J") -> None:
        self.pdf.set_font(self.font, "", 11)
        self.pdf.multi_cell(width, 5.5, text, align=align)
        self.pdf.ln(3)

    def para_with_footnote(self, before: str, marker: str, after: str) -> None:
        """A paragraph with a raised small footnote marker glued after `before`."""
        self.pdf.set_font(self.font, "", 11)
        self.pdf.write(5.5, before)
        self.pdf.set_font(self.font, "", 7)
        self.pdf.char_vpos = "SUP"
        self.pdf.write(5.5, marker)
        self.pdf.char_vpos = "LINE"
        self.pdf.set_font(self.font, "", 11)
        self.pdf.write(5.5, after)
        self.pdf.ln(9)

    def footnote(self, text: str) -> None:
        """Small print at the bottom of the current page."""
        y = self.pdf.get_y()
        self.pdf.set_auto_page_break(False)
        self.pdf.set_y(-32)
        self.pdf.set_font(self.font, "", 8)
        self.pdf.multi_cell(0, 4, text)
        self.pdf.set_y(y)
        self.pdf.set_auto_page_break(True, margin=25)

    def bullets(self, items: list[str]) -> None:
        self.pdf.set_font(self.font, "", 11)
        bullet = "\u2022" if self.font == "body" else "-"
        for item in items:
            self.pdf.set_x(self.pdf.l_margin + 4)
            self.pdf.cell(5, 5.5, bullet)
            self.pdf.multi_cell(0, 5.5, item)
        self.pdf.ln(3)

    def table(self, rows: list[tuple[str, ...]]) -> None:
        self.pdf.set_font(self.font, "", 10)
        with self.pdf.table(first_row_as_headings=True, line_height=5.5) as table:
            for cells in rows:
                row = table.row()
                for cell in cells:
                    row.cell(cell)
        self.pdf.ln(4)

    def columns(self, left: str, right: str) -> None:
        self.pdf.set_font(self.font, "", 10)
        cols = self.pdf.text_columns(ncols=2, gutter=8, text_align="J")
        with cols:
            cols.write(text=left)
            cols.new_column()
            cols.write(text=right)
        self.pdf.ln(4)

    def toc(self, entries: list[tuple[str, int]]) -> None:
        self.heading("Inhoud")
        self.pdf.set_font(self.font, "", 11)
        for title, page in entries:
            dots = "." * max(4, 70 - len(title))
            self.pdf.cell(0, 6, f"{title} {dots} {page}", new_x="LMARGIN", new_y="NEXT")

    def save(self, path: Path) -> Path:
        self.pdf.set_title("Handhavingsplan Testdorp")
        self.pdf.output(str(path))
        return path
