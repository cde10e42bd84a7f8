"""CSV exports read row by row: the header names the format, a row that does not fit is
skipped and counted, each physical line decoded on its own (UTF-8, else GB 18030)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from planner.learn.formats.common import ExportError, Reading, text_lines

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a long message is a long field, not an error


def header(line: str) -> tuple[str, ...]:
    """A header line's column names, stripped."""
    return tuple(cell.strip() for cell in next(csv.reader([line]), []))


def looks_like(line: str, columns: tuple[str, ...]) -> bool:
    return header(line.lstrip("\ufeff")) == columns


def rows(path: Path, reading: Reading, columns: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Each data row as a column -> value mapping; rows of the wrong width are skipped."""
    reader = csv.reader(text_lines(path, reading))
    try:
        found = tuple(cell.strip() for cell in next(reader))
    except (StopIteration, csv.Error):
        found = ()
    if found != columns:
        raise ExportError(path, "the header is not the export's", f"columns {', '.join(columns)}")
    reading.format_seen = True
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a quote left open by a truncated file
            reading.skip(f"row {reader.line_num}: {exc}")
            continue
        if len(row) != len(columns):
            if row:
                reading.skip(f"row {reader.line_num}: {len(row)} columns, not {len(columns)}")
            continue
        yield dict(zip(columns, row, strict=True))
