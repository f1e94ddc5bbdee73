"""Property-based API testing with schemathesis: requests generated from the OpenAPI schema, sent as an
admin (bearer token, so every route is reachable), never get a 5xx. Bounded: a few examples per
operation, SQLite only (the two-backend behaviour is covered by the other API tests)."""

import pytest
from hypothesis import HealthCheck, given, settings

from medbill.practice.accounts import Role

EXAMPLES = 6


def test_no_operation_answers_5xx(app, app_url, signed) -> None:  # type: ignore[no-untyped-def]
    if not app_url.startswith("sqlite"):
        pytest.skip("schemathesis runs once, on SQLite")
    import schemathesis

    admin = signed[Role.ADMIN]
    token = admin.post("/api/auth/tokens", json={"name": "schemathesis"}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in ("/api/auth/logout",):
            continue  # would end the admin's session for the rest of the run
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        run()
    assert operations > 40
    assert failures == []
