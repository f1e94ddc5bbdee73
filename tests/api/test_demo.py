"""`medbill demo` runs the note coder on every demo note: the encounter shows the engine's suggestions
(with their evidence in the note), the demo's coder reviews them against the codes a coder assigned to
the note, and the claims bill what the coder accepted. SQLite and PostgreSQL."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.api.conftest import _url

from medbill.practice.records import Decision
from medbill.services import demo, encounters, engines
from medbill.services.system_actor import cli_actor
from medbill.storage import Database, open_database

pytestmark = pytest.mark.realdata
TODAY = dt.date(2026, 9, 15)  # inside the installed ICD-10-CM release


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, app_home: Path, mirror: Path
) -> Iterator[tuple[dict, Database]]:  # type: ignore[type-arg]
    urls = _url(request.param, tmp_path_factory.mktemp("demo"))
    url = next(urls)
    summary = demo.run_demo(database_url=url, today=TODAY)
    database = open_database(url)
    yield summary, database
    database.close()
    urls.close()


def test_the_demo_codes_every_note_with_the_note_coder(demo_run) -> None:  # type: ignore[no-untyped-def]
    summary, database = demo_run
    assert summary["coder"] == "medbill.coding"
    notes = demo.demo_data()["encounters"]
    assert summary["encounters"] == len(notes)
    actor = cli_actor(database, what="test")
    listed = encounters.list_encounters(database, actor, limit=100).items
    by_note = {encounters.get_encounter(database, actor, e.id).note.strip(): e.id for e in listed}
    assert len(listed) == len(notes)
    suggested = 0
    for spec in notes:
        encounter = encounters.get_encounter(database, actor, by_note[spec["note"].strip()])
        expected = engines.code_note(encounter.note, setting="outpatient", on=encounter.service_date)["codes"]
        engine_codes = [c for c in encounter.codes if c.origin == "engine"]
        # the suggestions shown are the engine's, in its order, with its evidence in the note
        assert [(c.code, c.status) for c in engine_codes] == [(c["code"], c["status"]) for c in expected]
        for code in engine_codes:
            assert code.evidence, f"{code.code}: a suggestion without evidence"
            for e in code.evidence:
                assert encounter.note[e.start : e.end] == e.text
        suggested += len(engine_codes)
        # reviewed: what the coder assigned is accepted (suggested or added), every other suggestion rejected
        accepted = {
            c.code for c in encounter.codes if c.decision == Decision.ACCEPTED and c.system == "icd10cm"
        }
        assert accepted == set(spec["codes"])
        assert all(c.decision != Decision.PENDING for c in encounter.codes)
        for code in engine_codes:
            assert (code.decision == Decision.ACCEPTED) == (
                code.code in spec["codes"] and code.status == "present"
            )
    assert summary["codes_suggested"] == suggested
    # the engine agrees with the assigned codes on most of them (what a reviewer saves in typing)
    assigned = sum(len(spec["codes"]) for spec in notes)
    assert summary["suggestions_accepted"] + summary["codes_added_by_coder"] >= assigned
    assert summary["suggestions_accepted"] >= assigned // 2


def test_the_demo_runs_the_whole_cycle(demo_run) -> None:  # type: ignore[no-untyped-def]
    summary, database = demo_run
    assert summary["batch_claims"] >= 6
    assert summary["clean_claims"] >= 1
    with database.reader() as uow:
        [era] = uow.era_files.list(offset=0, limit=10)[0]
    assert era.status == "posted"
    [result] = era.results
    assert result["posted_claims"] == summary["batch_claims"]
    assert summary["aging"]["total"] != "0.00"
