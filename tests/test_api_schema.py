"""Schemathesis against the app's own OpenAPI schema: every read-only endpoint, generated
input, no 5xx and every answer as the schema describes it (SQLite and PostgreSQL).

The schema is loaded from the running app inside the test (schemathesis' lazy pytest
fixture loader does not work with pytest 9), and each operation is checked with Hypothesis.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from diplograph.api.app import Settings, create_app
from diplograph.store.database import Store

# No server error; status code, content type, headers and body as documented. (A schema-valid
# name may still be unknown: 400 for that is right, so positive-data acceptance is not asked.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = 40  # per operation: the whole test stays well under a minute per backend


def _check(operation: schemathesis.APIOperation) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    conforms()


@pytest.mark.slow
def test_read_endpoints_conform(kb_store: Store) -> None:
    app = create_app(Settings(db=kb_store.url))
    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [
            result.ok()
            for result in schema.include(method="GET", path_regex="^/api/").get_all_operations()
        ]
        assert len(operations) >= 15
        for operation in operations:
            _check(operation)
    finally:
        app.state.kb.close()
