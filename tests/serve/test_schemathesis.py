"""The API against its own OpenAPI document: schemathesis generates requests for every
operation of /openapi.json (valid and invalid parameters, huge ids, odd strings) over the
fixture database, and each response must be no 5xx and what the document declares (status
code, content type, headers and body schema).

Hypothesis drives each operation's strategy directly: schemathesis 4.32's pytest fixture
loader (`schemathesis.pytest.from_fixture`) reads `request.node._nodeid`, which pytest 9 no
longer has. Examples are derandomised, so a run is repeatable and CI never flakes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from extractors.source_rules import PublisherRegistry
from syndicate.web import create_app
from tests.serve.conftest import Stored, generated_page, store_page
from tests.support.sources import T0

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 25  # per operation and mode: the whole run stays well under a minute
OPERATIONS = {
    "GET /api/articles",
    "GET /api/articles/{article_id}",
    "GET /api/articles/{article_id}/versions",
    "GET /api/sources",
    "GET /feeds/{name}",
}


def exercise(
    operation: schemathesis.APIOperation[Any, Any, Any, Any], mode: GenerationMode
) -> None:
    """Run the operation's generated cases; the first failing one raises (shrunk)."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Case[Any]) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


def test_the_api_keeps_to_its_openapi_document(
    db_url: str, engine: Engine, registry: PublisherRegistry, stored: Stored
) -> None:
    changed = generated_page(0, seen=T0 + timedelta(days=2), title="Noticia servida, corregida")
    assert store_page(engine, registry, changed) == stored.generated[0]  # now has 2 versions
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(db_url))
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert {operation.label for operation in operations} == OPERATIONS
    failures = []
    for operation in operations:
        has_parameters = any(True for _ in operation.iter_parameters())
        modes = [GenerationMode.POSITIVE] + [GenerationMode.NEGATIVE] * has_parameters
        for mode in modes:
            try:
                exercise(operation, mode)
            except (Exception, FailureGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
    # Every stored article (one with two versions) against the declared body schemas too,
    # whichever ids the generated cases happened to pick.
    for path, parameters in known_requests(stored):
        operation = schema[path]["GET"]
        operation.Case(**parameters).call_and_validate(checks=CHECKS)


def known_requests(stored: Stored) -> list[tuple[str, dict[str, Any]]]:
    by_id = [{"path_parameters": {"article_id": article_id}} for article_id in stored.all]
    feeds = [{"path_parameters": {"name": f"all.{kind}"}} for kind in ("atom", "rss", "json")]
    return [
        ("/api/articles", {"query": {"limit": 100}}),
        ("/api/sources", {}),
        *[("/api/articles/{article_id}", case) for case in by_id],
        *[("/api/articles/{article_id}/versions", case) for case in by_id],
        *[("/feeds/{name}", case) for case in feeds],
    ]
