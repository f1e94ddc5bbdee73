"""The app posts an uploaded 835 exactly as `medbill ar post-era` does: the same journal entries,
exception queue, denials queue and results, and the same refusal of a file that cannot be read.
SQLite and PostgreSQL."""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.api.conftest import _url

from medbill.core.claimfile import read_claims
from medbill.core.errors import InputError
from medbill.core.remittance import Remittance
from medbill.services import remits
from medbill.services.charges import record_claims
from medbill.services.era import post_remittance_file
from medbill.services.system_actor import cli_actor
from medbill.storage import Database, open_database
from medbill.x12.config import X12Config
from medbill.x12.write835 import write_835

AR_FIXTURES = Path(__file__).parents[1] / "ar" / "fixtures"
PAYER = X12Config(
    sender_id="SANDBOX", receiver_id="SYNCLINIC", payer_contact={"name": "EDI", "phone": "8005550199"}
)


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, Database]]:
    """Two fresh, migrated stores with the same claims recorded: one for each way of posting."""
    first = _url(request.param, tmp_path_factory.mktemp("cli"))
    second = _url(request.param, tmp_path_factory.mktemp("app"))
    databases = []
    for url in (next(first), next(second)):
        database = open_database(url, require_current=False)
        database.upgrade()
        record_claims(database, read_claims(AR_FIXTURES / "claims.yaml"), on=dt.date(2026, 2, 25))
        databases.append(database)
    yield databases[0], databases[1]
    for database in databases:
        database.close()
    for generator in (first, second):
        generator.close()


def _era_with_an_unknown_claim(path: Path) -> Path:
    """The A/R fixture's remittance (three billed claims and one nobody billed, AR-9999) as an X12
    835, with a claim payment for the stranger so that money goes to the exception queue."""
    document: dict[str, Any] = json.loads((AR_FIXTURES / "remittance.json").read_text())
    assert document["claims"][3]["claim_id"] == "AR-9999"
    stranger = dict(document["claims"][1], claim_id="AR-9999", payer_claim_number="ICN-9999")
    document["claims"][3] = stranger
    paid = Decimal(document["payment"]["amount"]) + Decimal(stranger["paid"])
    document["payment"]["amount"] = str(paid)
    remittance = Remittance.model_validate(document)
    path.write_text(write_835([remittance], PAYER, now=dt.datetime(2026, 3, 10, 8, 0)))
    return path


def _state(database: Database) -> dict[str, Any]:
    with database.reader() as uow:
        return {
            "entries": [
                (e.kind, e.date, e.claim_id, e.carc, e.narration, e.postings) for e in uow.journal.entries()
            ],
            "exceptions": [
                (x.kind, x.message, x.amount, x.claim_id, x.remittance_id)
                for x in uow.queues.exceptions(status=None)
            ],
            "denials": [
                (d.claim_id, d.line, d.procedure, d.category, d.carc, d.amount, d.remarks, d.payer_key)
                for d in uow.queues.denials(status=None)
            ],
            "remittances": [
                (r.trace_number, r.payer_key, r.payment_amount) for r in uow.remittances.recent()
            ],
        }


def test_uploading_an_835_posts_what_the_cli_posts(two_databases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    by_cli, by_app = two_databases
    era = _era_with_an_unknown_claim(tmp_path / "sandbox.835")

    cli_results = post_remittance_file(by_cli, era)
    actor = cli_actor(by_app, what="test")
    era_id = remits.upload(by_app, actor, era.name, era.read_bytes())
    uploaded = remits.post(by_app, actor, era_id)

    assert uploaded.status == "posted"
    assert list(uploaded.results) == [r.to_dict() for r in cli_results]
    [result] = uploaded.results
    assert result["posted_claims"] == 3
    assert [c["outcome"] for c in result["claims"]] == ["posted", "posted", "posted", "exception"]
    assert [x["kind"] for x in result["exceptions"]] == ["unmatched_claim"]
    app_state, cli_state = _state(by_app), _state(by_cli)
    assert app_state == cli_state
    assert len(app_state["exceptions"]) == 1
    assert len(app_state["denials"]) == 1
    assert app_state["entries"]

    # posting the same file again changes nothing, on either path
    assert post_remittance_file(by_cli, era)[0].duplicate
    again = remits.post(by_app, actor, remits.upload(by_app, actor, era.name, era.read_bytes()))
    assert again.results[0]["duplicate"] is True
    assert _state(by_app) == _state(by_cli) == cli_state


def test_a_file_the_cli_refuses_is_refused_at_upload_with_the_same_message(
    two_databases, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    by_cli, by_app = two_databases
    era = _era_with_an_unknown_claim(tmp_path / "broken.835")
    text = era.read_text()
    era.write_text(text[: len(text) // 2])  # cut off in the middle: no SE, GE, IEA trailers
    with pytest.raises(InputError) as from_cli:
        post_remittance_file(by_cli, era)
    actor = cli_actor(by_app, what="test")
    with pytest.raises(InputError) as from_app:
        remits.upload(by_app, actor, era.name, era.read_bytes())
    assert str(from_app.value) == str(from_cli.value)
    assert str(from_app.value).startswith("broken.835: the 835 is malformed; nothing was posted")
    assert _state(by_app) == _state(by_cli)
    assert _state(by_app)["remittances"] == []
    with by_app.reader() as uow:
        assert uow.era_files.list(offset=0, limit=10)[1] == 0


def test_a_remittance_in_json_form_can_be_uploaded_too(two_databases) -> None:  # type: ignore[no-untyped-def]
    _, by_app = two_databases
    actor = cli_actor(by_app, what="test")
    data = (AR_FIXTURES / "remittance.json").read_bytes()
    posted = remits.post(by_app, actor, remits.upload(by_app, actor, "remittance.json", data))
    assert posted.results[0]["posted_claims"] == 3
    with pytest.raises(InputError, match=r"^notes\.txt: "):
        remits.upload(by_app, actor, "notes.txt", b"Dear billing office: {please call}")
