"""Every dashboard table as CSV and as an Excel workbook (openpyxl), with exactly the cells the page
shows: exact for a coordinator, "<5" where the central level sees a suppressed cell."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .formatting import export_label, export_value
from .stats import Table

# A cell a spreadsheet program would run as a formula (an organisation's name typed in by a volunteer, say
# "=HYPERLINK(...)"): CSV gets it with a leading apostrophe, Excel as a text cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def table_rows(table: Table) -> list[list]:
    """The table as a header row and data rows of exportable values."""
    header = [table.row_header or ""] + [export_label(c) for c in table.columns]
    rows = [header]
    for row in table.rows:
        rows.append(
            [row.label] + [export_value(v, row.kind(i, table.columns)) for i, v in enumerate(row.values)]
        )
    return rows


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark so that spreadsheet programs read accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([["'" + v if _is_formula_like(v) else v for v in row] for row in table_rows(table)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, taken: set) -> str:
    base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def to_xlsx(tables: list[Table], heading: str, subtitle: str = "") -> bytes:
    """One sheet per table: its title, the period, a blank line, then the header and the rows (from row 4)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = heading
    taken: set = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, taken))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([subtitle])
        sheet.append([])
        rows = table_rows(table)
        for index, values in enumerate(rows):
            sheet.append([None if v == "" else v for v in values])
            for cell in sheet[sheet.max_row]:
                if _is_formula_like(cell.value):
                    cell.data_type = "s"
            if index == 0 or (index and table.rows[index - 1].total):
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        for row_index, row in enumerate(table.rows, start=5):
            for column_index, value in enumerate(row.values, start=2):
                kind = row.kind(column_index - 2, table.columns)
                if kind in ("hours", "decimal", "percent") and isinstance(value, float):
                    sheet.cell(row=row_index, column=column_index).number_format = "0.0"
                elif kind == "seconds" and isinstance(value, float):
                    sheet.cell(row=row_index, column=column_index).number_format = "0.00"
        for column_index, column_values in enumerate(zip(*rows, strict=True), start=1):
            width = max(len(str(v)) for v in column_values) + 2
            sheet.column_dimensions[get_column_letter(column_index)].width = min(60, max(10, width))
        sheet.freeze_panes = "B5"
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
