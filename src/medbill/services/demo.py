"""`medbill demo`: a demo practice and one whole cycle through the same services the app uses.

Synthetic patients and notes (`medbill/practice/data/demo.yaml`, plus MTSamples notes from the data
mirror when asked) → coded by the note coder (a demo coder reviews its suggestions against the codes a
coder assigned to each demo note) → claims built
and checked (a flagged charge-entry claim is fixed and checked again) → one 837 batch → the sandbox
payer's 835 → posted → aging. Everything stays in the database, browsable with `medbill serve`.
"""

import csv
import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from medbill.core.claim import Address, Claim, PayerType, Relationship, Responsibility, Sex
from medbill.core.errors import InputError
from medbill.core.money import format_money
from medbill.practice.accounts import Actor, Role
from medbill.practice.claim_builder import charge_for
from medbill.practice.records import ClaimStatus, Decision, PatientRecord, ProviderRecord
from medbill.rules.builtin.identifiers import make_npi
from medbill.services import accounts, batches, claim_work, encounters, engines, ledger, practice, remits
from medbill.services.encounters import NewEncounter
from medbill.services.system_actor import cli_actor
from medbill.settings import get_settings
from medbill.storage import Database, open_database

Progress = Callable[[str], None]
DEMO_USERS = (
    ("demo-admin", Role.ADMIN),
    ("demo-coder", Role.CODER),
    ("demo-biller", Role.BILLER),
    ("demo-auditor", Role.AUDITOR),
)


@cache
def demo_data() -> dict[str, Any]:
    text = resources.files("medbill.practice").joinpath("data/demo.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def coder_available() -> bool:
    try:
        engines.note_coder()
    except ImportError:
        return False
    return True


def run_demo(
    *,
    extra_notes: int = 0,
    progress: Progress = lambda _: None,
    today: dt.date | None = None,
    database_url: str | None = None,
) -> dict[str, Any]:
    today = today or dt.date.today()
    database = open_database(database_url, require_current=False)
    database.upgrade()
    try:
        return _run(database, extra_notes, progress, today)
    finally:
        database.close()


def anchor_date(today: dt.date) -> dt.date:
    """The date the demo's visits are counted back from: today, or the last day of the installed
    ICD-10-CM release when today is past it (so the claims are checked against code sets in force)."""
    try:
        from medbill.services.engines import knowledge_base

        release = knowledge_base().release_for("icd10cm", None)
    except Exception:  # no knowledge base: the scrubber will say what it could not check
        return today
    end = release.effective.end
    return min(today, end) if end else today


def _run(database: Database, extra_notes: int, progress: Progress, today: dt.date) -> dict[str, Any]:
    data = demo_data()
    visits = anchor_date(today)
    actor = cli_actor(database, what="medbill demo")
    created = _accounts(database)
    progress("demo practice: payer, providers, patients")
    billing, providers, patients = _practice(database, actor, data)
    engine = coder_available()
    progress(
        "coding the notes with "
        + ("the note coder" if engine else "the coder-assigned demo codes (the note coder is not installed)")
    )
    notes = list(data["encounters"]) + _mtsamples(extra_notes, len(patients))
    encounter_ids = []
    review = Review()
    for spec in notes:
        encounter = encounters.create_encounter(
            database,
            actor,
            NewEncounter(
                patient_id=patients[spec["patient"]],
                rendering_provider_id=providers[spec["provider"]],
                billing_provider_id=billing,
                service_date=visits - dt.timedelta(days=int(spec["days_ago"])),
                note=spec["note"],
                visit_type=spec["visit_type"],
                source="demo",
            ),
        )
        encounter_ids.append(encounter.id)
        _code(database, actor, encounter.id, spec, engine, review)
    progress(f"building and checking {len(encounter_ids)} claims")
    claim_ids, clean = [], 0
    for encounter_id in encounter_ids:
        try:
            work = claim_work.claim_from_encounter(database, actor, encounter_id)
        except InputError as exc:
            progress(f"encounter {encounter_id}: no claim ({str(exc).splitlines()[0]})")
            continue
        work = claim_work.check_claim(database, actor, work.claim_id, today=today)
        claim_work.price_claim(database, actor, work.claim_id)
        claim_ids.append(work.claim_id)
        clean += 1 if work.clean else 0
    fixed = _charge_entry(database, actor, data["charge_entry"], patients, providers, billing, visits, today)
    ready = [c for c in claim_ids + fixed if _status(database, c) == ClaimStatus.READY]
    if not ready:
        raise InputError(
            "no demo claim passed the claim edits; is the knowledge base built (medbill data build)?"
        )
    progress(f"writing the 837 for {len(ready)} ready claims")
    batch = batches.create_batch(database, actor, ready, on=today)
    progress("the sandbox payer adjudicates the 837 and answers with an 835")
    text = batches.sandbox_835(database, actor, batch.id)
    out = get_settings().home / "demo"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"batch-{batch.id}.837").write_text(batches.batch_x12(database, actor, batch.id), encoding="utf-8")
    (out / f"batch-{batch.id}.835").write_text(text, encoding="utf-8")
    progress("posting the 835 to the journal")
    era_id = remits.upload(database, actor, f"sandbox-batch-{batch.id}.835", text.encode("utf-8"))
    era = remits.post(database, actor, era_id, today=today)
    paid = sum((sum(float(c["paid"]) for c in r["claims"]) for r in era.results), 0.0)
    denied = sum(int(r["denials"]) for r in era.results)
    aging = ledger.aging(database, as_of=today, by=None)
    return {
        "encounters": len(encounter_ids),
        "coder": "medbill.coding" if engine else "demo codes (note coder not installed)",
        "codes_suggested": review.suggested,
        "suggestions_accepted": review.agreed,
        "codes_added_by_coder": review.added,
        "codes_accepted": review.accepted,
        "claims": len(claim_ids) + len(fixed),
        "clean_claims": clean,
        "fixed_claims": len(fixed),
        "batch": batch.id,
        "batch_claims": batch.claim_count,
        "remittance_file": era_id,
        "paid": format_money(__import__("decimal").Decimal(str(round(paid, 2)))),
        "denied_lines": denied,
        "files": [str(out / f"batch-{batch.id}.837"), str(out / f"batch-{batch.id}.835")],
        "aging": aging,
        "accounts": created,
    }


def _accounts(database: Database) -> list[dict[str, str]]:
    created = []
    existing = {u.username for u in accounts.list_users(database)}
    for username, role in DEMO_USERS:
        if username in existing:
            continue
        password = secrets.token_urlsafe(12)
        accounts.create_user(database, username, f"Demo {role.value}", role, password)
        created.append({"username": username, "role": role.value, "password": password})
    return created


def _practice(database: Database, actor: Actor, data: dict[str, Any]) -> tuple[int, list[int], list[int]]:
    spec = data["practice"]
    with database.reader() as uow:
        payer = uow.practice.payer_by_code(spec["payer"]["payer_code"])
    if payer is None:
        p = spec["payer"]
        payer = practice.create_payer(
            database,
            actor,
            p["payer_code"],
            p["name"],
            PayerType(p["type"]),
            Address.model_validate(p["address"]),
        )
    b = spec["billing"]
    billing = _provider(
        database,
        actor,
        ProviderRecord(
            0,
            make_npi(b["npi9"]),
            "organization",
            b["name"],
            None,
            b["taxonomy"],
            b["tax_id"],
            Address.model_validate(b["address"]),
        ),
    )
    providers = [
        _provider(
            database,
            actor,
            ProviderRecord(
                0, make_npi(p["npi9"]), "individual", p["last_name"], p["first_name"], p["taxonomy"]
            ),
        )
        for p in spec["providers"]
    ]
    patients = []
    for p in data["patients"]:
        with database.reader() as uow:
            found = uow.practice.patient_by_mrn(p["mrn"])
        if found is None:
            record = PatientRecord(
                0,
                p["mrn"],
                p["last_name"],
                p["first_name"],
                dt.date.fromisoformat(p["birth_date"]),
                Sex(p["sex"]),
                None,
                Address.model_validate(spec["billing"]["address"]),
            )
            found = practice.create_patient(
                database,
                actor,
                record,
                [
                    {
                        "payer_id": payer.id,
                        "member_id": p["member_id"],
                        "responsibility": Responsibility.PRIMARY.value,
                        "relationship": Relationship.SELF.value,
                    }
                ],
            )
        patients.append(found.id)
    return billing, providers, patients


def _provider(database: Database, actor: Actor, record: ProviderRecord) -> int:
    with database.reader() as uow:
        found = uow.practice.provider_by_npi(record.npi)
    return found.id if found else practice.create_provider(database, actor, record).id


@dataclass
class Review:
    """What the demo's coder did with the note coder's suggestions, over all notes."""

    suggested: int = 0
    agreed: int = 0
    added: int = 0
    accepted: int = 0


def _code(
    database: Database, actor: Actor, encounter_id: int, spec: dict[str, Any], engine: bool, review: Review
) -> None:
    """Code one note: the note coder suggests codes, with their evidence; the demo's coder reviews them.

    A demo note carries the codes a coder assigned to it (`codes` in demo.yaml): suggestions of those
    codes (for a condition the note affirms) are accepted, the other suggestions rejected, and the
    assigned codes the engine did not suggest are added by the coder. The claim bills what the coder
    accepted. A note without assigned codes (MTSamples) gets every affirmed suggestion accepted."""
    if engine:
        current = encounters.code_encounter(database, actor, encounter_id)
        review.suggested += len(current.codes)
        if "codes" not in spec:
            current = encounters.accept_all(database, actor, encounter_id)
        else:
            assigned = [str(c).upper() for c in spec["codes"]]
            for suggestion in current.codes:
                if suggestion.decision != Decision.PENDING:
                    continue
                agreed = (
                    suggestion.system == "icd10cm"
                    and suggestion.code.upper() in assigned
                    and suggestion.status in encounters.CODED_STATUSES
                )
                review.agreed += agreed
                decision = Decision.ACCEPTED if agreed else Decision.REJECTED
                current = encounters.decide(database, actor, encounter_id, suggestion.id, decision)
            taken = {c.code.upper() for c in current.codes if c.decision == Decision.ACCEPTED}
            for code in assigned:
                if code not in taken:
                    current = encounters.add_code(database, actor, encounter_id, code, "icd10cm")
                    review.added += 1
    else:
        for code in spec.get("codes", []):
            current = encounters.add_code(database, actor, encounter_id, code, "icd10cm")
            review.added += 1
    for code in spec.get("hcpcs", []):
        current = encounters.add_code(database, actor, encounter_id, code, "hcpcs")
        review.added += 1
    current = encounters.get_encounter(database, actor, encounter_id)
    if not (current.em or {}).get("code") and spec.get("em"):
        current = encounters.set_em(database, actor, encounter_id, spec["em"]["code"], spec["em"]["reason"])
    review.accepted += sum(1 for c in current.codes if c.decision == Decision.ACCEPTED)


def _charge_entry(
    database: Database,
    actor: Actor,
    spec: dict[str, Any],
    patients: list[int],
    providers: list[int],
    billing: int,
    visits: dt.date,
    today: dt.date,
    *,
    fix: bool = True,
) -> list[str]:
    """A biller's charge entry with a code that is no longer billable: flagged, fixed, checked again."""
    with database.reader() as uow:
        patient = uow.practice.patient(patients[spec["patient"]])
        bill = uow.practice.provider(billing)
        rendering = uow.practice.provider(providers[spec["provider"]])
        number = len(
            uow.claim_work.list(
                status=None, patient_id=None, payer_code=None, batch_id=None, q="CE", offset=0, limit=1
            )[0]
        )
    assert patient is not None
    assert bill is not None
    assert rendering is not None
    coverage = patient.coverages[0]
    claim_id = f"CE{today:%y%m%d}{secrets.token_hex(3).upper()}{number}"
    service = visits - dt.timedelta(days=int(spec["days_ago"]))
    claim = Claim.model_validate(
        {
            "claim_id": claim_id,
            "place_of_service": "11",
            "payer": {
                "id": coverage.payer.payer_code,
                "name": coverage.payer.name,
                "type": coverage.payer.type.value,
            },
            "billing_provider": {
                "npi": bill.npi,
                "tax_id": bill.tax_id,
                "name": bill.name,
                "address": bill.address.model_dump() if bill.address else None,
                "taxonomy": bill.taxonomy,
            },
            "rendering_provider": {
                "npi": rendering.npi,
                "first_name": rendering.first_name,
                "last_name": rendering.name,
            },
            "subscriber": {
                "member_id": coverage.member_id,
                "first_name": patient.first_name,
                "last_name": patient.last_name,
                "birth_date": patient.birth_date.isoformat(),
                "sex": patient.sex.value,
                "address": patient.address.model_dump() if patient.address else None,
            },
            "diagnoses": spec["diagnoses"],
            "lines": [
                {
                    "procedure": spec["procedure"],
                    "charge": str(charge_for(spec["procedure"])),
                    "service_date": service.isoformat(),
                    "diagnosis_pointers": [1],
                }
            ],
        }
    )
    claim_work.create_claim(database, actor, claim, patient_id=patient.id)
    work = claim_work.check_claim(database, actor, claim_id, today=today)
    if fix and work.status == ClaimStatus.FLAGGED:
        fixed = claim.replace(diagnoses=[spec["fix"].get(d, d) for d in claim.diagnoses])
        claim_work.update_claim(database, actor, claim_id, fixed, version=work.version)
        claim_work.check_claim(database, actor, claim_id, today=today)
    return [claim_id]


def _status(database: Database, claim_id: str) -> ClaimStatus | None:
    with database.reader() as uow:
        found = uow.claim_work.get(claim_id)
    return found.status if found else None


def _mtsamples(count: int, patients: int) -> list[dict[str, Any]]:
    """Up to `count` General Medicine notes from the MTSamples file of the data mirror (never copied)."""
    mirror = get_settings().data_mirror
    path = Path(mirror) / "mtsamples" / "mtsamples.csv" if mirror else None
    if count <= 0 or path is None or not path.is_file():
        return []
    found: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (
                row.get("medical_specialty", "").strip()
                in ("General Medicine", "SOAP / Chart / Progress Notes")
                and len(row.get("transcription", "")) > 200
            ):
                n = len(found)
                found.append(
                    {
                        "patient": n % patients,
                        "provider": n % 2,
                        "days_ago": 20 + 7 * n,
                        "visit_type": "established",
                        "note": row["transcription"],
                        "em": {"code": "99213", "reason": "demo default for an MTSamples note"},
                    }
                )
            if len(found) >= count:
                break
    return found
