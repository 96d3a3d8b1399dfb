"""Reading the CSV files members send: what a normal file gives, and files refused before they cost memory."""

from __future__ import annotations

import resource
import time

import pytest

from handlers.kit.csv_files import MAX_COLUMNS, read_csv
from handlers.kit.errors import UserError


def test_a_normal_csv_gives_its_rows_by_line_with_quoted_commas_kept() -> None:
    content = b'Link,Note,Unused\nhttps://shop.example/1,"cheap, fake",x\n\nhttps://shop.example/2,,\n'
    rows = read_csv(content, "links.csv", required=["link"], optional=["note"])
    assert [(row.line, row.values) for row in rows] == [
        (2, {"link": "https://shop.example/1", "note": "cheap, fake"}),
        (4, {"link": "https://shop.example/2", "note": ""}),
    ]


def test_a_header_of_twenty_million_commas_is_refused_quickly_without_splitting_it() -> None:
    content = b"link" + b"," * (20 * 1024 * 1024 - 8)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(UserError) as refused:
        read_csv(content, "links.csv", required=["link"])
    assert time.perf_counter() - started < 1.0
    # ru_maxrss is in KiB on Linux: splitting the line would take hundreds of MiB, the text itself ~100.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 150 * 1024
    assert str(refused.value).startswith(f"links.csv line 1 has more than {MAX_COLUMNS:,} columns.")


def test_a_row_over_the_column_limit_is_refused_with_its_line() -> None:
    content = b"link,note\nhttps://shop.example/1,ok\nhttps://shop.example/2" + b"," * MAX_COLUMNS + b"\n"
    with pytest.raises(UserError, match=f"^links.csv line 3 has more than {MAX_COLUMNS:,} columns"):
        read_csv(content, "links.csv", required=["link"], optional=["note"])


def test_a_row_spread_over_lines_by_quoted_newlines_is_counted_as_one_row() -> None:
    spread = b"".join(b'"\n"' + b"," * 100 for _ in range(MAX_COLUMNS // 100 + 1))
    content = b"link,note\nhttps://shop.example/1," + spread + b"\n"
    with pytest.raises(UserError, match=f"^links.csv line 7 has more than {MAX_COLUMNS:,} columns"):
        read_csv(content, "links.csv", required=["link"], optional=["note"])


def test_a_row_at_the_column_limit_is_read() -> None:
    content = b"link" + b"," * (MAX_COLUMNS - 1) + b"\nhttps://shop.example/1\n"
    assert [row.values for row in read_csv(content, "links.csv", required=["link"])] == [
        {"link": "https://shop.example/1"}
    ]
