"""Real transcriptions (MTSamples, from the data mirror): the reader copes with notes nobody here wrote.

Office-type notes only, a fixed slice so the test stays quick; skipped when the mirror is absent.
"""

import csv
from pathlib import Path

import pytest

from medbill.coding import em

pytestmark = pytest.mark.realdata

OFFICE = {"Office Notes", "SOAP / Chart / Progress Notes", "General Medicine"}


@pytest.fixture(scope="module")
def office_notes(mirror: Path) -> list[str]:
    source = mirror / "mtsamples" / "mtsamples.csv"
    if not source.is_file():
        pytest.skip(f"{source} not in the mirror")
    csv.field_size_limit(10_000_000)
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["medical_specialty"].strip() in OFFICE]
    return [r["transcription"] for r in rows if r["transcription"].strip()][:200]


def test_every_level_is_an_office_code_with_evidence_that_slices_the_note(office_notes: list[str]) -> None:
    levelled = 0
    for note in office_notes:
        for patient in ("new", "established"):
            result = em.level_from_note(note, patient=patient)
            if result is None:
                continue
            levelled += 1
            allowed = {
                "new": {"99202", "99203", "99204", "99205"},
                "established": {"99212", "99213", "99214", "99215"},
            }
            assert result.code in allowed[patient]
            assert result.evidence, "a level from a note must cite the note"
            for ev in result.evidence:
                assert note[ev.start : ev.end] == ev.text
    assert levelled > 0
