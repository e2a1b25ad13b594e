"""Sample sources and a pinned clock for storage and pipeline tests (no clock is ever read)."""

from __future__ import annotations

from datetime import UTC, datetime

from extractors.source_rules import SourceRules

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

ELCOMERCIO = SourceRules(
    key="elcomercio",
    name="El Comercio",
    homepage="https://elcomercio.pe/",
    language="es",
    timezone="America/Lima",
    aliases=("Elcomercio", "elcomercio.pe"),
)
GLOBALHAPPENINGS = SourceRules(
    key="globalhappenings",
    name="Global Happenings",
    homepage="https://globalhappenings.example/",
    language="en",
    timezone="UTC",
)
