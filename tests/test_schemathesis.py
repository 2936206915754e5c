"""Property-based tests of every REST operation from the OpenAPI schema (schemathesis): no input makes a 500."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from interviewer.api import create_api
from interviewer.bootstrap import build_service
from interviewer.config import Settings

# Loaded at import, as schemathesis parametrizes at collection time; the service writes to a throwaway directory.
API = create_api(build_service(Settings(data_dir=Path(tempfile.mkdtemp(prefix="interviewer-schema-")))))
schema = schemathesis.openapi.from_asgi("/api/openapi.json", API)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])


def test_the_schema_covers_every_route() -> None:
    paths = set(schema.raw_schema["paths"])
    assert {"/api/sessions", "/api/sessions/{session_id}/messages", "/api/sessions/{session_id}/end"} <= paths
