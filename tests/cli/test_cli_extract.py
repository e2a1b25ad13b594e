"""`syndicate extract`: JSON Lines in the order given; a bad file gives {"file", "error"} and the rest go on."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from tests.support.paths import FIXTURES, SOURCE_FIXTURES

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
SEED = FIXTURES / "seed" / "globalhappenings-putin-lukashenko.html"


def _run(*args: str, status: int = 0) -> list[dict[str, object]]:
    """The rows printed; `status` is the exit status expected (1 when any file failed)."""
    done = subprocess.run(
        [SYNDICATE, "extract", *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == status, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_files_in_order_with_errors_for_bad_ones(tmp_path: Path) -> None:
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    missing = tmp_path / "missing.html"
    spanish = SOURCE_FIXTURES / "Publico_2025_05_29.html.gz"
    rows = _run(str(binary), str(SEED), str(missing), str(spanish), status=1)
    assert [row["file"] for row in rows] == [str(binary), str(SEED), str(missing), str(spanish)]
    assert "binary input" in str(rows[0]["error"])
    assert (
        rows[1]["title"]
        == "Putin visits Lukashenko: Will Belarus take a more active role in the invasion of Ukraine?"
    )
    assert "cannot read file" in str(rows[2]["error"])
    assert str(rows[3]["title"]).startswith("Los vecinos de Carabanchel exigen cambios")
    assert "error" not in rows[1] and "error" not in rows[3]


def test_truncated_gzip_is_an_error_row_not_a_crash(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(gzip.compress(SEED.read_bytes())[:300])
    rows = _run(str(broken), str(SEED), status=1)
    assert "truncated or corrupt gzip" in str(rows[0]["error"])
    assert (
        rows[1]["title"]
        == "Putin visits Lukashenko: Will Belarus take a more active role in the invasion of Ukraine?"
    )


def test_fetched_at_resolves_relative_dates(tmp_path: Path) -> None:
    page = tmp_path / "relative.html"
    page.write_text(
        "<html lang='es'><head><title>Nota</title></head><body><article><h1>Nota</h1>"
        "<time>hace 2 horas</time><p>"
        + "Texto de la nota con bastantes palabras. " * 12
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    (without,) = _run(str(page))
    (with_time,) = _run(str(page), "--fetched-at", "2024-02-29T12:00:00+00:00")
    assert without["published_at"] is None
    assert with_time["published_at"] == "2024-02-29T10:00:00+00:00"


def test_url_and_source_options_apply(tmp_path: Path) -> None:
    page = tmp_path / "seed.html.gz"
    page.write_bytes(gzip.compress(SEED.read_bytes()))
    url = "https://globalhappenings.example/putin/"
    (row,) = _run(str(page), "--url", url, "--source", "elcomercio")
    assert row["url"] == url
    assert row["source"] == "elcomercio"
    attribution = row["attribution"]
    assert isinstance(attribution, dict)
    assert attribution["publisher"] == "El Comercio"


def test_unknown_source_is_a_usage_error() -> None:
    done = subprocess.run(
        [SYNDICATE, "extract", str(SEED), "--source", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown source 'nope'" in done.stderr
