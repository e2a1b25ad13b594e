"""`from extractors import extract` is the function however the program got there.

The package resolves `extract` lazily (trafilatura is heavy). Python sets a package attribute
named after each submodule it imports, so a submodule called `extract` would replace the
function with itself once anything imported it; the submodule is `extractors.extraction`.
Each check runs in a fresh interpreter, since this test session has imported both already.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.paths import SEED_PAGE

PROBE = """
import importlib, inspect, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
import extractors
from extractors import extract
from extractors.extraction import extract as the_function
article = extract(open(sys.argv[2], "rb").read(), "https://globalhappenings.example/putin/")
print(json.dumps({
    "is_function": inspect.isfunction(extract),
    "same": extract is the_function and extractors.extract is the_function,
    "module_attribute_is_module": inspect.ismodule(extractors.extraction),
    "title": article.title,
}))
"""


@pytest.mark.parametrize(
    "first",
    [
        [],
        ["extractors.extraction"],
        ["extractors.extraction", "pipelines.processing", "pipelines.extraction_pool"],
    ],
    ids=["package-only", "submodule-first", "pipelines-first"],
)
def test_extract_is_the_function_after_any_imports(first: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(first), str(SEED_PAGE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["is_function"] is True
    assert result["same"] is True
    assert result["module_attribute_is_module"] is True
    assert str(result["title"]).startswith("Putin visits Lukashenko")


def test_the_record_types_do_not_load_the_extractor() -> None:
    """storage and pipelines import the package for `Article`: that must stay cheap."""
    code = (
        "import sys, extractors; from extractors import Article, ExtractionError; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'trafilatura', 'dateparser'} or m == 'extractors.extraction'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
