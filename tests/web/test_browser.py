"""Acceptance in a real browser (Debian's chromium through Playwright, headless): a coder accepts
codes, a biller fixes a flagged claim, sends a batch, uploads the sandbox payer's 835 and sees the
payment posted and the aging change. Screenshots of the main pages go to test-artifacts/."""

import datetime as dt
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "browser-test-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory, kb, mirror):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI: Debian's chromium is not installed (scripts/setup.sh installs it)")
        pytest.skip("Debian's chromium is not installed")
    import uvicorn

    home = tmp_path_factory.mktemp("browser-home")
    saved = {k: os.environ.get(k) for k in ("MEDBILL_HOME", "MEDBILL_KB", "MEDBILL_REDIS_URL")}
    os.environ.update({"MEDBILL_HOME": str(home), "MEDBILL_KB": str(kb.path)})
    os.environ.pop("MEDBILL_REDIS_URL", None)
    from medbill.api.app import create_app

    url = f"sqlite:///{home / 'browser.db'}"
    app = create_app(url, migrate=True)
    _seed(app.state.medbill.database)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _seed(database) -> None:  # type: ignore[no-untyped-def]
    """Users, the practice, a note with codes to review (from a FHIR bundle), a flagged charge-entry claim."""
    from medbill.practice.accounts import Role
    from medbill.services import accounts
    from medbill.services.demo import _charge_entry, _practice, demo_data
    from medbill.services.fhir_io import import_bundle
    from medbill.services.system_actor import cli_actor

    for role in (Role.CODER, Role.BILLER):
        accounts.create_user(database, f"{role.value}1", f"Test {role.value}", role, PASSWORD)
    actor = cli_actor(database, what="browser test seed")
    data = demo_data()
    billing, providers, patients = _practice(database, actor, data)
    with database.reader() as uow:
        patient = uow.practice.patient(patients[0])
        org = uow.practice.provider(billing)
        doc = uow.practice.provider(providers[0])
    assert patient
    assert org
    assert doc
    assert org.address
    import base64

    note = data["encounters"][0]["note"]
    visits = dt.date(2026, 7, 15)  # inside the installed ICD-10-CM release (April 2026 update)
    service = (visits - dt.timedelta(days=45)).isoformat()
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p", "identifier": [{"value": patient.mrn}],
                      "name": [{"family": patient.last_name, "given": [patient.first_name]}],
                      "birthDate": patient.birth_date.isoformat(), "gender": "female"}},
        {"resource": {"resourceType": "Practitioner", "id": "dr",
                      "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": doc.npi}],
                      "name": [{"family": doc.name, "given": [doc.first_name]}]}},
        {"resource": {"resourceType": "Organization", "id": "o", "name": org.name,
                      "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": org.npi},
                                     {"system": "urn:oid:2.16.840.1.113883.4.4", "value": org.tax_id}],
                      "address": [{"line": [org.address.line1], "city": org.address.city, "state": org.address.state,
                                   "postalCode": org.address.zip}]}},
        {"resource": {"resourceType": "Encounter", "id": "e", "status": "finished",
                      "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                      "period": {"start": service}}},
        *[{"resource": {"resourceType": "Condition", "id": f"c{i}", "subject": {"reference": "Patient/p"},
                        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]}}}
          for i, code in enumerate(data["encounters"][0]["codes"])],
        {"resource": {"resourceType": "DocumentReference", "id": "d", "status": "current",
                      "content": [{"attachment": {"contentType": "text/plain",
                                                  "data": base64.b64encode(note.encode()).decode()}}]}},
    ]}
    import_bundle(database, actor, bundle)
    _charge_entry(database, actor, data["charge_entry"], patients, providers, billing, visits, dt.date.today(), fix=False)


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_coder_and_biller_in_the_browser(server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    base = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        # -- coder: worklist → encounter → accept the codes (keyboard) → E/M
        _login(page, base, "coder1")
        expect(page.locator("h1")).to_have_text("Coder worklist")
        page.screenshot(path=str(ARTIFACTS / "01-coder-worklist.png"), full_page=True)
        page.get_by_role("link", name="Encounter 1").click()
        expect(page.locator("pre.note")).to_contain_text("Type 2 diabetes")
        page.screenshot(path=str(ARTIFACTS / "02-encounter.png"), full_page=True)
        page.locator("#accept-all").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".flash.ok")).to_contain_text("accepted")
        expect(page.locator("tr.decision-accepted")).to_have_count(3)
        page.select_option("#em-code", "99214")
        page.fill("#em-reason", "moderate MDM")
        page.get_by_role("button", name="Set E/M").click()
        expect(page.locator("h1 .badge")).to_have_text("reviewed")
        page.get_by_role("button", name="Sign out").click()
        # -- biller: build the claim, fix the flagged one, send a batch
        _login(page, base, "biller1")
        expect(page.locator("h1")).to_have_text("Biller worklist")
        page.get_by_role("button", name="Build and check claim").click()
        expect(page.locator("#claim-status")).to_have_text("ready")
        page.goto(base + "/biller?status=flagged")
        page.screenshot(path=str(ARTIFACTS / "03-biller-worklist.png"), full_page=True)
        page.locator("table a[href^='/claims/CE']").first.click()
        expect(page.locator("#claim-status")).to_have_text("flagged")
        expect(page.locator(".finding.reject, .finding.deny").first).to_contain_text("M54.5")
        page.screenshot(path=str(ARTIFACTS / "04-claim-flagged.png"), full_page=True)
        page.fill("#diagnoses", "M54.50")
        page.locator("#save-check").click()
        expect(page.locator("#claim-status")).to_have_text("ready")
        before = _aging_total(page, base)
        page.goto(base + "/batches")
        page.locator("#export-batch").click()
        expect(page.locator("h1")).to_contain_text("Batch 1")
        expect(page.locator("pre.x12")).to_contain_text("ISA*")
        page.screenshot(path=str(ARTIFACTS / "05-batch.png"), full_page=True)
        charged = _aging_total(page, base)
        assert charged > before
        page.goto(base + "/batches/1")
        with page.expect_download() as download:
            page.locator("#sandbox-835").click()
        era = tmp_path / "sandbox.835"
        shutil.copy(download.value.path(), era)
        assert era.read_text().startswith("ISA")
        # -- upload the 835, watch it post, see the payment and the aging change
        page.goto(base + "/remittances")
        page.set_input_files("#era-file", str(era))
        page.locator("#upload-835").click()
        expect(page.locator("#era-status")).to_have_text("posted", timeout=30_000)
        expect(page.locator("table.posted .badge.posted").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "06-remittance-posted.png"), full_page=True)
        paid = page.locator("table.posted td.num").first.inner_text()
        assert float(paid.strip("$")) > 0
        after = _aging_total(page, base)
        assert after < charged
        page.screenshot(path=str(ARTIFACTS / "07-dashboard.png"), full_page=True)
        page.goto(base + "/denials")
        page.screenshot(path=str(ARTIFACTS / "08-denials.png"), full_page=True)
        browser.close()


def _aging_total(page, base: str) -> float:  # type: ignore[no-untyped-def]
    page.goto(base + "/dashboard")
    return float(page.locator("#aging-total").inner_text().strip("$").replace(",", ""))
