"""ICD-10-CM Index and Neoplasm table, ICD-10-PCS tables: fixtures in the official XML formats, plus
the real External Cause index (same schema as the Alphabetic Index) when the mirror is present."""

from datetime import date

import pytest

from medbill.core.errors import InputError

ON = date(2099, 5, 1)


def test_walk_the_disease_index(mini_kb):
    [node] = mini_kb.index.walk("Diabetes, type 2, with, hyperglycemia", on=ON)
    assert node.code == "E11.65"
    assert node.path == ("Diabetes, diabetic", "type 2", "with", "hyperglycemia")
    [main] = mini_kb.index.disease("Diabetes", on=ON)
    assert main.nemod == "(mellitus) (sugar)"
    assert [c.title for c in main.children] == ["type 2", "bronzed"]
    assert main.children[1].see == "Hemochromatosis"


def test_neoplasm_table_cells(mini_kb):
    [lung] = mini_kb.index.neoplasm("lung", on=ON)
    cells = dict(lung.cells)
    assert cells["Malignant Primary"] == "C34.9-"
    assert "Ca in situ" in cells
    [lower] = mini_kb.index.neoplasm("lung, lower lobe", on=ON)
    assert "Ca in situ" not in dict(lower.cells)  # "--" is not applicable


def test_index_paths_are_searchable(mini_kb):
    hit = mini_kb.icd10cm.search("lung malignant primary", on=ON)[0]
    assert hit.code == "C34.9"
    assert hit.matched == "Neoplasm, neoplastic → lung → Malignant Primary"


def test_unknown_table_is_an_input_error(mini_kb):
    with pytest.raises(InputError, match="--table"):
        mini_kb.index.walk("lung", table="chemicals", on=ON)


def test_iter_terms_yields_index_and_table_terms(mini_kb):
    terms = list(mini_kb.index.iter_terms(on=ON))
    assert any(t.code == "E11.65" and t.path[-1] == "hyperglycemia" for t in terms)
    assert any(t.code == "C34.3-" and t.path[-1] == "Malignant Primary" for t in terms)


def test_pcs_codes_are_the_cross_product_of_table_rows(mini_kb):
    assert mini_kb.pcs.count(on=ON) == 2
    record = mini_kb.pcs.get("0DTJ4ZZ", on=ON)
    assert record.description == "Resection Appendix, Percutaneous Endoscopic Approach"
    assert ("approach", "4", "Percutaneous Endoscopic") in record.axes
    assert record.operation_definition.startswith("Cutting out or off")
    invalid = mini_kb.pcs.validate("0DTJ3ZZ", on=ON)
    assert not invalid.valid
    assert set(invalid.suggestions) == {"0DTJ0ZZ", "0DTJ4ZZ"}


@pytest.mark.realdata
def test_real_external_cause_index(kb, mirror):
    [node] = kb.index.ecause("Accident, boat, striking swimmer, powered")
    assert node.code == "V94.11"
    nodes = kb.index.walk("Accident, animal-drawn vehicle", table="ecause")
    assert nodes[0].see == "Accident, transport, animal-drawn vehicle occupant"


@pytest.mark.realdata
def test_real_drug_table(kb, mirror):
    [node] = kb.index.drug("Acetaminophen")
    assert dict(node.cells)["Poisoning Accidental (unintentional)"] == "T39.1X1"
    hit = kb.icd10cm.search("acetaminophen poisoning accidental")[0]
    assert hit.code == "T39.1X1"


@pytest.mark.realdata
def test_real_pcs_releases_answer_by_date(kb, mirror):
    fy2025 = kb.pcs.validate("0DTJ4ZZ", on=date(2025, 5, 1))
    fy2026 = kb.pcs.validate("0DTJ4ZZ", on=date(2026, 5, 1))
    assert fy2025.valid
    assert fy2026.valid
    assert fy2025.release == "icd10pcs-codes-fy2025"
    assert fy2026.release == "icd10pcs-tables-fy2026"
    assert fy2025.description == "Resection of Appendix, Percutaneous Endoscopic Approach"


@pytest.mark.realdata
def test_real_pcs_definitions_and_terms(kb, mirror):
    [resection] = [d for d in kb.pcs.definitions("Resection") if d["section"] == "0"]
    assert resection["definition"] == "Cutting out or off, without replacement, all of a body part"
    terms = kb.pcs.iter_terms(on=date(2025, 5, 1))
    first = next(t for t in terms if t.kind == "index")
    assert first.code
    assert first.path
