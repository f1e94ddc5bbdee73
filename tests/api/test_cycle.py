"""The whole cycle through the API, as a coder and a biller would drive it: register the practice,
record a note, accept codes, build and fix a flagged claim, send a batch, have the sandbox payer answer,
upload the 835, see the payment posted and the aging change; FHIR in and out. SQLite and PostgreSQL."""

import base64
import time

import pytest

from medbill.practice.accounts import Role
from medbill.rules.builtin.identifiers import make_npi

pytestmark = pytest.mark.realdata

NOTE = """ASSESSMENT AND PLAN: Type 2 diabetes mellitus with hyperglycemia. Essential hypertension.
Denies chest pain. Continue metformin and lisinopril."""


def _wait(client, job_id: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    for _ in range(200):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


@pytest.fixture(scope="module")
def practice(signed, mirror):  # type: ignore[no-untyped-def]
    biller = signed[Role.BILLER]
    payer = biller.post("/api/payers", json={"payer_code": "MBSANDBOX", "name": "Sandbox Medicare", "type": "medicare",
                                              "address": {"line1": "1 Sandbox Plaza", "city": "Testville", "state": "MD",
                                                          "zip": "21244-1850"}}).json()
    billing = biller.post("/api/providers", json={
        "npi": make_npi("123456789"), "kind": "organization", "name": "Harbor Family Medicine", "tax_id": "12-3456789",
        "address": {"line1": "100 Harbor Way", "city": "Baltimore", "state": "MD", "zip": "21201-3201"}}).json()
    rendering = biller.post("/api/providers", json={"npi": make_npi("198765432"), "kind": "individual",
                                                    "name": "Reyes", "first_name": "Ana"}).json()
    patient = biller.post("/api/patients", json={
        "mrn": "CYCLE-1", "last_name": "Alder", "first_name": "Margaret", "birth_date": "1948-03-14", "sex": "F",
        "address": {"line1": "5 Elm St", "city": "Baltimore", "state": "MD", "zip": "21201-3201"},
        "coverages": [{"payer_id": payer["id"], "member_id": "1EG4TE5MK72"}]}).json()
    return {"payer": payer, "billing": billing, "rendering": rendering, "patient": patient}


def test_coder_then_biller_cycle(signed, practice) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    coder, biller = signed[Role.CODER], signed[Role.BILLER]
    service = dt.date(2026, 6, 15).isoformat()  # inside the installed ICD-10-CM release
    encounter = biller.post("/api/encounters", json={
        "patient_id": practice["patient"]["id"], "rendering_provider_id": practice["rendering"]["id"],
        "billing_provider_id": practice["billing"]["id"], "service_date": service, "note": NOTE}).json()
    eid = encounter["id"]
    # the coder adds codes (searching first), one of them not billable, and sets the E/M level
    assert coder.post(f"/api/encounters/{eid}/codes", json={"code": "E11.65"}).status_code == 200
    assert coder.post(f"/api/encounters/{eid}/codes", json={"code": "I10"}).status_code == 200
    after = coder.put(f"/api/encounters/{eid}/em", json={"code": "99213", "reason": "low MDM"}).json()
    assert after["status"] == "reviewed"
    assert after["em"]["code"] == "99213"
    assert {c["code"] for c in after["codes"] if c["decision"] == "accepted"} == {"E11.65", "I10"}
    # the biller builds the claim, breaks it (a header code), sees it flagged, fixes it
    claim = biller.post("/api/claims/from-encounter", json={"encounter_id": eid}).json()
    claim_id = claim["claim_id"]
    document = dict(claim["claim"], diagnoses=["E11", "I10"])
    edited = biller.put(f"/api/claims/{claim_id}", json={"claim": document, "version": claim["version"]}).json()
    flagged = biller.post(f"/api/claims/{claim_id}/check").json()
    assert flagged["status"] == "flagged", flagged["findings"]
    assert any(f["severity"] in ("reject", "deny") and "E11" in f["codes"] for f in flagged["findings"])
    stale = biller.put(f"/api/claims/{claim_id}", json={"claim": document, "version": edited["version"] - 1})
    assert stale.status_code == 409
    fixed = dict(document, diagnoses=["E11.65", "I10"])
    biller.put(f"/api/claims/{claim_id}", json={"claim": fixed, "version": flagged["version"]})
    ready = biller.post(f"/api/claims/{claim_id}/check").json()
    assert ready["status"] == "ready", ready["findings"]
    priced = biller.post(f"/api/claims/{claim_id}/price").json()
    assert priced["price"]["total_allowed"]
    before = biller.get("/api/reports/aging").json()
    # batch → 837 → sandbox 835 → upload → posted
    batch = biller.post("/api/batches", json={"claim_ids": [claim_id]}).json()
    assert batch["claim_ids"] == [claim_id]
    x12 = biller.get(f"/api/batches/{batch['id']}/837").text
    assert x12.startswith("ISA")
    assert "CLM*" + claim_id in x12
    charged = biller.get("/api/reports/aging").json()
    assert float(charged["total"]) == pytest.approx(float(before["total"]) + float(claim["total_charge"]))
    era = biller.post(f"/api/batches/{batch['id']}/sandbox-835").text
    upload = biller.post("/api/remittances", files={"file": ("sandbox.835", era.encode(), "text/plain")})
    assert upload.status_code == 202
    job = _wait(biller.client, upload.json()["job_id"])
    assert job["status"] == "done", job
    posted = biller.get(f"/api/remittances/{upload.json()['id']}").json()
    outcome = posted["results"][0]["claims"][0]
    assert outcome["claim_id"] == claim_id
    assert outcome["outcome"] == "posted"
    assert float(outcome["paid"]) > 0
    assert biller.get(f"/api/claims/{claim_id}").json()["status"] == "remitted"
    after_aging = biller.get("/api/reports/aging").json()
    assert float(after_aging["total"]) < float(charged["total"])
    ledger = biller.get(f"/api/journal/claims/{claim_id}").json()
    assert {e["kind"] for e in ledger["entries"]} >= {"charge", "payment"}
    # posting the same 835 again changes nothing
    again = biller.post("/api/remittances", files={"file": ("again.835", era.encode(), "text/plain")})
    _wait(biller.client, again.json()["job_id"])
    assert biller.get(f"/api/remittances/{again.json()['id']}").json()["results"][0]["duplicate"] is True
    assert biller.get("/api/reports/aging").json()["total"] == after_aging["total"]
    # FHIR out: the claim and its EOB
    from medbill.services.fhir_io import export_claim, export_eob
    from medbill.services.system_actor import cli_actor

    database = biller.client.app.state.medbill.database
    actor = cli_actor(database, what="test")
    fhir_claim = export_claim(database, actor, claim_id)
    assert fhir_claim["resourceType"] == "Claim"
    assert [d["diagnosisCodeableConcept"]["coding"][0]["code"] for d in fhir_claim["diagnosis"]] == ["E11.65", "I10"]
    eob = export_eob(database, actor, claim_id)
    assert eob["resourceType"] == "ExplanationOfBenefit"
    assert eob["payment"]["amount"]["value"] == pytest.approx(float(outcome["paid"]))
    dashboard = biller.get("/api/reports/dashboard").json()
    assert dashboard["claims_by_status"]["remitted"] >= 1


def test_fhir_bundle_import_becomes_an_encounter_to_code(signed, practice) -> None:  # type: ignore[no-untyped-def]
    from medbill.services.fhir_io import import_bundle
    from medbill.services.system_actor import cli_actor

    note = base64.b64encode(b"Assessment: essential hypertension, stable.").decode()
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p", "identifier": [{"value": "FHIR-77"}],
                      "name": [{"family": "Birch", "given": ["Nora"]}], "birthDate": "1951-04-05", "gender": "female"}},
        {"resource": {"resourceType": "Organization", "id": "payer", "name": "Sandbox Medicare",
                      "identifier": [{"system": "urn:medbill:payer-id", "value": "MBSANDBOX"}]}},
        {"resource": {"resourceType": "Coverage", "id": "c", "status": "active", "subscriberId": "9ZZ9ZZ9ZZ99",
                      "beneficiary": {"reference": "Patient/p"}, "payor": [{"reference": "Organization/payer"}]}},
        {"resource": {"resourceType": "Practitioner", "id": "dr",
                      "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": make_npi("198765432")}],
                      "name": [{"family": "Reyes", "given": ["Ana"]}]}},
        {"resource": {"resourceType": "Organization", "id": "clinic", "name": "Harbor Family Medicine",
                      "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": make_npi("123456789")},
                                     {"system": "urn:oid:2.16.840.1.113883.4.4", "value": "12-3456789"}],
                      "address": [{"line": ["100 Harbor Way"], "city": "Baltimore", "state": "MD",
                                   "postalCode": "21201-3201"}]}},
        {"resource": {"resourceType": "Encounter", "id": "e", "status": "finished",
                      "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                      "subject": {"reference": "Patient/p"}, "period": {"start": "2026-03-02"}}},
        {"resource": {"resourceType": "Condition", "id": "cond", "subject": {"reference": "Patient/p"},
                      "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I10"}]}}},
        {"resource": {"resourceType": "DocumentReference", "id": "d", "status": "current",
                      "content": [{"attachment": {"contentType": "text/plain", "data": note}}]}},
    ]}
    database = signed[Role.BILLER].client.app.state.medbill.database
    result = import_bundle(database, cli_actor(database, what="test"), bundle)
    encounter = signed[Role.CODER].get(f"/api/encounters/{result['encounter_id']}").json()
    assert encounter["note"].startswith("Assessment: essential hypertension")
    assert encounter["service_date"] == "2026-03-02"
    assert [(c["code"], c["origin"], c["decision"]) for c in encounter["codes"]] == [("I10", "fhir", "pending")]
    from medbill.core.errors import InputError

    with pytest.raises(InputError, match="Patient"):
        import_bundle(database, cli_actor(database, what="test"), {"resourceType": "Bundle", "type": "collection",
                                                                     "entry": []})


def test_lists_page_and_filter(signed, practice) -> None:  # type: ignore[no-untyped-def]
    biller = signed[Role.BILLER]
    page = biller.get("/api/patients?limit=1&offset=0").json()
    assert page["limit"] == 1
    assert len(page["items"]) == 1
    assert page["total"] >= 1
    found = biller.get("/api/patients?q=Alder").json()["items"]
    assert [p["mrn"] for p in found] == ["CYCLE-1"]
    assert biller.get("/api/patients?limit=0").status_code == 422
