"""Where the tests' saved pages live: tests/fixtures, and the real pages each built-in source
ships with (spiders/sources/fixtures), which the tests read in place rather than copy."""

from __future__ import annotations

from pathlib import Path

import spiders

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE_FIXTURES = Path(spiders.__file__).parent / "sources" / "fixtures"
EL_COMERCIO_PAGE = SOURCE_FIXTURES / "elcomercio.pe-kenjifujimori.html"
SEED_PAGE = FIXTURES / "seed" / "globalhappenings-putin-lukashenko.html"
