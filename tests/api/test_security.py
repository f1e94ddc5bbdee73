"""Security: every route refuses anonymous callers and callers whose role may not use it (routes are
enumerated from the app, so a new route without a check fails here), CSRF, login rate limiting,
API tokens, the audit log records reads and cannot be changed, problem+json errors."""

import re

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import text

from medbill.api.deps import PUBLIC_PATHS, Authorize
from medbill.practice.accounts import Role
from medbill.web.auth import PageAuth

PATH_VALUES = {"patient_id": "1", "payer_id": "1", "provider_id": "1", "encounter_id": "1", "code_id": "1",
               "claim_id": "ENC0000001", "batch_id": "1", "era_id": "1", "job_id": "1", "exception_id": "1",
               "denial_id": "1", "token_id": "1", "user_id": "1", "code": "E11.9"}


def flatten(routes):  # type: ignore[no-untyped-def]
    """Every endpoint of the app (FastAPI keeps included routers as nested, lazily built groups)."""
    for route in routes:
        if hasattr(route, "effective_candidates"):
            yield from flatten(route.effective_candidates())
        elif isinstance(route, APIRoute) or (hasattr(route, "dependant") and hasattr(route, "methods")):
            yield route


def _guard(route: APIRoute):  # type: ignore[no-untyped-def]
    for dependency in route.dependant.dependencies:
        if isinstance(dependency.call, (Authorize, PageAuth)):
            return dependency.call
    return None


def _routes(app):  # type: ignore[no-untyped-def]
    for route in flatten(app.routes):
        public = route.path in PUBLIC_PATHS
        for method in sorted(route.methods - {"HEAD"}):
            yield route, method, public


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)


def test_every_route_is_guarded_or_public(app) -> None:  # type: ignore[no-untyped-def]
    unguarded = [f"{m} {r.path}" for r, m, public in _routes(app) if not public and _guard(r) is None]
    assert unguarded == []
    assert len(list(_routes(app))) > 60


def test_every_route_refuses_anonymous_callers(app, anonymous) -> None:  # type: ignore[no-untyped-def]
    failures = []
    for route, method, public in _routes(app):
        if public:
            continue
        response = anonymous.request(method, _concrete(route.path), follow_redirects=False)
        api = route.path.startswith("/api/")
        ok = response.status_code == 401 if api else (
            response.status_code == 303 and response.headers["location"].startswith("/login"))
        if not ok:
            failures.append(f"{method} {route.path} -> {response.status_code}")
    assert failures == []


def test_every_route_refuses_the_wrong_roles(app, signed) -> None:  # type: ignore[no-untyped-def]
    failures = []
    checked = 0
    for route, method, public in _routes(app):
        guard = _guard(route)
        if public or guard is None:
            continue
        for role in set(Role) - set(guard.roles):
            caller = signed[role]
            headers = {"x-csrf-token": caller.csrf}
            response = caller.client.request(method, _concrete(route.path), headers=headers, follow_redirects=False)
            checked += 1
            if response.status_code != 403:
                failures.append(f"{role.value}: {method} {route.path} -> {response.status_code}")
    assert failures == []
    assert checked > 50


def test_roles_see_their_own_pages(signed) -> None:  # type: ignore[no-untyped-def]
    assert signed[Role.CODER].get("/coder").status_code == 200
    assert signed[Role.BILLER].get("/biller").status_code == 200
    assert signed[Role.AUDITOR].get("/audit").status_code == 200
    assert signed[Role.AUDITOR].get("/api/patients").status_code == 403  # auditors read the log, not charts
    assert signed[Role.CODER].get("/api/batches").status_code == 403


def test_changes_need_the_csrf_token_of_the_session(signed) -> None:  # type: ignore[no-untyped-def]
    biller = signed[Role.BILLER]
    body = {"payer_code": "CSRF1", "name": "Csrf Payer"}
    assert biller.client.post("/api/payers", json=body).status_code == 403
    wrong = biller.client.post("/api/payers", json=body, headers={"x-csrf-token": "not-the-token"})
    assert wrong.status_code == 403
    assert wrong.json()["type"].endswith("/csrf")
    assert biller.post("/api/payers", json=body).status_code == 201
    # forms too: a page post without the hidden field is refused
    page = biller.client.post("/claims/from-encounter", data={"encounter_id": "1"}, follow_redirects=False)
    assert page.status_code == 403


def test_api_tokens_authenticate_without_csrf_and_can_be_revoked(signed, anonymous) -> None:  # type: ignore[no-untyped-def]
    biller = signed[Role.BILLER]
    created = biller.post("/api/auth/tokens", json={"name": "integration"})
    assert created.status_code == 201
    secret = created.json()["token"]
    bearer = {"Authorization": f"Bearer {secret}"}
    assert anonymous.get("/api/payers", headers=bearer).status_code == 200
    assert anonymous.post("/api/payers", json={"payer_code": "TOK1", "name": "Token Payer"}, headers=bearer).status_code == 201
    assert biller.client.delete(f"/api/auth/tokens/{created.json()['id']}", headers={"x-csrf-token": biller.csrf}).status_code == 204
    assert anonymous.get("/api/payers", headers=bearer).status_code == 401
    assert anonymous.get("/api/payers", headers={"Authorization": "Bearer mbt_forged"}).status_code == 401


def test_login_is_rate_limited(app, anonymous) -> None:  # type: ignore[no-untyped-def]
    attempts = app.state.medbill.config.login_attempts
    codes = [anonymous.post("/api/auth/login", json={"username": "auditor", "password": "wrong-password"}).status_code
             for _ in range(attempts + 1)]
    assert codes[:attempts] == [401] * attempts
    assert codes[-1] == 429
    # the right password is refused too while the address is blocked
    assert anonymous.post("/api/auth/login", json={"username": "auditor", "password": "x" * 12}).status_code == 429
    app.state.medbill.limiter.reset("auditor|testclient")


def test_session_cookie_is_httponly_signed_and_tampering_is_refused(app, anonymous) -> None:  # type: ignore[no-untyped-def]
    from tests.api.conftest import PASSWORD

    response = anonymous.post("/api/auth/login", json={"username": "coder", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    value = anonymous.cookies.get("medbill_session")
    anonymous.cookies.set("medbill_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert anonymous.get("/api/auth/me").status_code == 401


def test_errors_are_problem_json(signed, anonymous) -> None:  # type: ignore[no-untyped-def]
    response = signed[Role.BILLER].get("/api/patients/999999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    invalid = signed[Role.BILLER].post("/api/patients", json={"mrn": "X"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"]


def test_the_audit_log_records_reads_and_writes_of_patient_data(signed) -> None:  # type: ignore[no-untyped-def]
    biller = signed[Role.BILLER]
    payer = biller.post("/api/payers", json={"payer_code": "AUD1", "name": "Audit Payer"}).json()
    created = biller.post("/api/patients", json={
        "mrn": "AUDIT-1", "last_name": "Quill", "first_name": "Ada", "birth_date": "1960-02-03", "sex": "F",
        "coverages": [{"payer_id": payer["id"], "member_id": "M1"}]})
    assert created.status_code == 201
    patient_id = created.json()["id"]
    assert biller.get(f"/api/patients/{patient_id}").status_code == 200
    log = signed[Role.AUDITOR].get(f"/api/audit?patient_id={patient_id}").json()["items"]
    actions = [(e["action"], e["username"], e["resource"]) for e in log]
    assert ("create", "biller", "patient") in actions
    assert ("read", "biller", "patient") in actions
    read = next(e for e in log if e["action"] == "read")
    assert read["client"]
    assert read["request"] == f"GET /api/patients/{patient_id}"
    assert read["at"]
    # the page shows it too
    assert "Quill" not in signed[Role.AUDITOR].get("/audit").text  # the log names records, not patients


def test_nobody_can_change_or_delete_the_audit_log(app) -> None:  # type: ignore[no-untyped-def]
    engine = app.state.medbill.database.engine
    for statement in ("UPDATE audit_log SET username = 'someone-else'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one() > 0


def test_no_patient_data_in_the_application_log(signed, caplog) -> None:  # type: ignore[no-untyped-def]
    biller = signed[Role.BILLER]
    with caplog.at_level("DEBUG"):
        biller.post("/api/patients", json={"mrn": "LOG-1", "last_name": "Zebulon", "first_name": "Orla",
                                           "birth_date": "1970-01-01"})
        biller.get("/api/patients?q=Zebulon")
        biller.post("/api/claims", json={"claim": {"claim_id": "BAD", "subscriber": {"last_name": "Zebulon"}}})
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "asyncio"))]  # not the test client
    assert not any("Zebulon" in r.getMessage() for r in server_side)
