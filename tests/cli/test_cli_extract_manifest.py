"""`syndicate extract --manifest`: each saved page with its own URL, fetch time and source.

Real pages from tests/fixtures and a source's own fixtures go through the real CLI; a row
from a manifest gives the same article as the page given on the command line with --url.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.paths import FIXTURES, SEED_PAGE, SOURCE_FIXTURES

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
SEED_URL = "https://globalhappenings.example/putin/"
SEED_EXPECTED = json.loads(SEED_PAGE.with_suffix(".expected.json").read_text(encoding="utf-8"))
NH24 = FIXTURES / "aggregators" / "nh24.de-Bundeswehr.html"
PUBLICO = SOURCE_FIXTURES / "Publico_2025_05_29.html.gz"


def _run(*args: str) -> tuple[int, list[dict[str, object]], list[str]]:
    """Exit status, the JSON rows on stdout and the lines on stderr."""
    done = subprocess.run(
        [SYNDICATE, "extract", *args], capture_output=True, text=True, timeout=120, check=False
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return done.returncode, rows, done.stderr.splitlines()


def test_csv_manifest_with_relative_paths_and_bad_rows_among_good(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    (folder / "de").mkdir(parents=True)
    shutil.copy(SEED_PAGE, folder / "seed.html")
    shutil.copy(NH24, folder / "de" / "nh24.html")
    manifest = folder / "pages.csv"
    manifest.write_text(
        "path,url,fetched_at,source\n"
        f"seed.html,{SEED_URL},2022-12-20T08:00:00,\n"  # the day after: the date stands
        "de/nh24.html,https://nh24.de/bundeswehr/,,\n"
        "gone.html,https://a.example/gone,,\n"  # unreadable file
        "seed.html,not-a-url,,\n"
        ",https://a.example/no-path,,\n"
        "seed.html,https://a.example/bad-date,soon,\n"
        "seed.html,https://a.example/no-source,,nope\n"
        f"seed.html,{SEED_URL},2000-01-01T00:00:00+00:00,\n",  # fetched long before 2022
        encoding="utf-8",
    )
    status, rows, errors = _run("--manifest", str(manifest))
    assert status == 1  # a bad row fails the run like a failed page, the others still run
    assert errors[:-1] == [
        f"syndicate extract: {manifest}:4: path: cannot read {folder / 'gone.html'}: "
        "No such file or directory",
        f"syndicate extract: {manifest}:5: url: 'not-a-url' is not an absolute http(s) URL",
        f"syndicate extract: {manifest}:6: path: missing (required)",
        f"syndicate extract: {manifest}:7: fetched_at: not an ISO 8601 time: 'soon'",
    ]
    assert errors[-1].startswith(
        f"syndicate extract: {manifest}:8: source: unknown source 'nope'; known: "
    )
    assert [row["file"] for row in rows] == [
        str(folder / "seed.html"),
        str(folder / "de" / "nh24.html"),
        str(folder / "seed.html"),
    ]
    assert [row["url"] for row in rows] == [SEED_URL, "https://nh24.de/bundeswehr/", SEED_URL]
    assert rows[0]["published_at"] == SEED_EXPECTED["published_at"]
    assert rows[0]["title"] == SEED_EXPECTED["title"]
    # The fetch time reached the extractor: a date long after the fetch is not a publication date.
    assert rows[2]["published_at"] is None
    assert {**rows[2], "published_at": None} == {**rows[0], "published_at": None}
    assert str(rows[1]["title"]).startswith("Mitarbeiter fordern Bundeswehr")


def test_jsonl_manifest_rows_match_the_pages_extracted_one_by_one(tmp_path: Path) -> None:
    manifest = tmp_path / "pages.jsonl"
    lines = [
        {"path": str(PUBLICO), "url": "https://www.publico.es/nota/", "source": "publico"},
        {"path": str(SEED_PAGE), "url": SEED_URL},
    ]
    manifest.write_text(
        "\n".join(json.dumps(line) for line in lines) + "\n\n{broken\n", encoding="utf-8"
    )
    status, rows, errors = _run("--manifest", str(manifest), "--fetched-at", "2026-01-01")
    assert status == 1
    assert errors == [f"syndicate extract: {manifest}:4: row: not valid JSON: "
                      "Expecting property name enclosed in double quotes"]  # fmt: skip
    status, alone, _ = _run(str(PUBLICO), "--url", "https://www.publico.es/nota/",
                            "--source", "publico", "--fetched-at", "2026-01-01")  # fmt: skip
    assert status == 0
    assert rows[0] == alone[0]
    assert rows[0]["source"] == "publico"
    assert rows[1]["source"] is None
    assert rows[1]["title"] == SEED_EXPECTED["title"]


def test_ndjson_rows_take_source_from_the_option_unless_they_name_their_own(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "pages.ndjson"
    manifest.write_text(
        json.dumps({"path": str(SEED_PAGE), "url": SEED_URL}) + "\n"
        + json.dumps({"path": str(SEED_PAGE), "url": SEED_URL, "source": "publico"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    status, rows, errors = _run("--manifest", str(manifest), "--source", "elcomercio")
    assert (status, errors) == (0, [])
    assert [row["source"] for row in rows] == ["elcomercio", "publico"]
    attribution = rows[0]["attribution"]
    assert isinstance(attribution, dict) and attribution["publisher"] == "El Comercio"


def test_manifest_excludes_files_and_url_and_bad_manifests_are_usage_errors(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "pages.csv"
    manifest.write_text(f"path,url\n{SEED_PAGE},{SEED_URL}\n", encoding="utf-8")
    wrong = tmp_path / "pages.txt"
    wrong.write_text("", encoding="utf-8")
    both = "syndicate extract: --manifest gives each page's path and URL: no FILE or --url with it"
    for args, error in [
        (["--manifest", str(manifest), str(SEED_PAGE)], both),
        (["--manifest", str(manifest), "--url", SEED_URL], both),
        ([], "syndicate extract: give the saved pages: FILE… or --manifest FILE"),
        (["--manifest", str(wrong)], f"syndicate extract: {wrong}: unknown manifest format "
                                     "'.txt'; use .csv, .jsonl or .ndjson"),
    ]:  # fmt: skip
        status, rows, errors = _run(*args)
        assert (status, rows, errors) == (2, [], [error]), args
