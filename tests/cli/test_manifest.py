"""Manifest parsing (`syndicate extract --manifest`): rows, line numbers, per-row problems."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from syndicate.manifest import Entry, ManifestError, RowProblem, read_manifest


def _rows(path: Path, text: str) -> list[Entry | RowProblem]:
    path.write_text(text, encoding="utf-8")
    return list(read_manifest(path))


def test_csv_rows_resolve_against_the_manifest_folder(tmp_path: Path) -> None:
    manifest = tmp_path / "batch" / "pages.csv"
    manifest.parent.mkdir()
    rows = _rows(
        manifest,
        "\ufeffpath,url,fetched_at,source,notes\n"  # BOM and an extra column, as Excel writes
        "a.html,https://a.example/1,2024-02-29T12:00:00,,x\n"
        "\n"
        f"{tmp_path / 'b.html.gz'}, https://b.example/2 ,2024-02-29T12:00:00+09:00,elcomercio,\n",
    )
    assert rows == [
        Entry(2, manifest.parent / "a.html", "https://a.example/1",
              datetime(2024, 2, 29, 12, tzinfo=UTC), None),
        Entry(4, tmp_path / "b.html.gz", "https://b.example/2",
              datetime(2024, 2, 29, 12, tzinfo=timezone(timedelta(hours=9))), "elcomercio"),
    ]  # fmt: skip


def test_each_bad_csv_row_names_its_line_and_field(tmp_path: Path) -> None:
    rows = _rows(
        tmp_path / "m.csv",
        "path,url,fetched_at\n"
        ",https://a.example/\n"
        "a.html,\n"
        "a.html,ftp://a.example/\n"
        'a.html,https://a.example/,"last\ntuesday"\n'
        "a.html,https://a.example/ok\n",
    )
    assert rows == [
        RowProblem(2, "path", "missing (required)"),
        RowProblem(3, "url", "missing (required)"),
        RowProblem(4, "url", "'ftp://a.example/' is not an absolute http(s) URL"),
        RowProblem(6, "fetched_at", "not an ISO 8601 time: 'last\\ntuesday'"),
        Entry(7, tmp_path / "a.html", "https://a.example/ok", None, None),
    ]


def test_json_lines_rows_and_their_problems(tmp_path: Path) -> None:
    rows = _rows(
        tmp_path / "m.ndjson",
        '{"path": "p.html", "url": "http://a.example/", "source": "abc"}\n'
        "\n"
        "{not json\n"
        '["p.html", "http://a.example/"]\n'
        '{"path": 7, "url": "http://a.example/"}\n'
        '{"path": "p.html", "url": "http://a.example/", "fetched_at": "2024-13-01"}\n',
    )
    assert rows[0] == Entry(1, tmp_path / "p.html", "http://a.example/", None, "abc")
    assert [(row.line, row.field) for row in rows[1:] if isinstance(row, RowProblem)] == [
        (3, "row"),
        (4, "row"),
        (5, "path"),
        (6, "fetched_at"),
    ]
    assert isinstance(rows[1], RowProblem) and rows[1].why.startswith("not valid JSON")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.txt", "path,url\n", "unknown manifest format '.txt'"),
        ("m.csv", "file,url\n", "m.csv:1: header: missing column 'path'"),
        ("m.csv", "", "missing columns 'path', 'url'"),
        ("m.jsonl", None, "cannot read manifest"),
    ],
)
def test_an_unusable_manifest_fails_before_any_row(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        read_manifest(path)


def test_a_manifest_that_is_not_utf8_fails(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_bytes('{"path": "caf\u00e9.html"}\n'.encode("latin-1"))
    with pytest.raises(ManifestError, match="not UTF-8"):
        read_manifest(path)
