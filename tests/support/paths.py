"""Where the saved pages live: tests/fixtures, the real pages each built-in source ships with
(spiders/sources/fixtures, read in place rather than copied), the AEB benchmark pages
(tests/site/aeb) and the held-out pages (benchmarks/heldout). All inside the repository."""

from __future__ import annotations

from pathlib import Path

import spiders

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURES = REPOSITORY / "tests" / "fixtures"
AEB = REPOSITORY / "tests" / "site" / "aeb"
HELDOUT = REPOSITORY / "benchmarks" / "heldout"
SOURCE_FIXTURES = Path(spiders.__file__).parent / "sources" / "fixtures"
EL_COMERCIO_PAGE = SOURCE_FIXTURES / "elcomercio.pe-kenjifujimori.html"
SEED_PAGE = FIXTURES / "seed" / "globalhappenings-putin-lukashenko.html"
