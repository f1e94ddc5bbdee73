"""Code search under concurrent requests: every thread gets the answer a lone search gives (the pool
of knowledge-base handles shares nothing between threads), and repeated queries are answered alike."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from medbill.core.errors import InputError
from medbill.services import engines

QUERIES = [
    "type 2 diabetes with chronic kidney disease",
    "copd exacerbation",
    "essential hypertension",
    "osteoarthritis right knee",
    "urinary tract infection",
    "atrial fibrillation",
    "knee pain",
    "acute sinusitis",
    "low back pain",
    "fracture of left wrist",
    "pneumonia",
    "obesity",
]


def test_concurrent_searches_answer_what_a_lone_search_answers(app_home: Path, kb) -> None:  # type: ignore[no-untyped-def]
    from medbill.codesets.query import search

    alone = {q: [(h.code, h.system, h.score) for h in search(kb, q, limit=10)] for q in QUERIES}
    assert all(alone[q] for q in QUERIES[:6])
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda q: engines.search_codes(q, system=None, limit=10, on=None), QUERIES * 4)
        )
    for q, hits in zip(QUERIES * 4, answers, strict=True):
        assert [(h["code"], h["system"], h["score"]) for h in hits] == alone[q], q
    # the same query, spelled with other spacing or case, is the same question
    assert engines.search_codes("  Essential   HYPERTENSION ", system=None, limit=10, on=None) == answers[2]
    # a caller changing its answer does not change the next caller's
    answers[2][0]["code"] = "XXX"
    assert engines.search_codes("essential hypertension", system=None, limit=10, on=None)[0]["code"] != "XXX"


def test_lookups_from_many_threads(app_home: Path, kb) -> None:  # type: ignore[no-untyped-def]
    codes = ["E11.22", "I10", "J44.1", "N39.0", "M17.11", "E66.9"] * 5
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lambda c: engines.lookup_code(c, system="icd10cm", on=None), codes))
    assert [f["code"].replace(".", "") for f in found] == [c.replace(".", "") for c in codes]
    with pytest.raises(InputError, match="not in the knowledge base"):
        engines.lookup_code("Q99.999", system="icd10cm", on=None)
