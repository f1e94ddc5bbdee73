"""CMS-1500 and UB-04 PDFs: the claim's data is real text, inside the box the form puts it in."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from tests.x12.conftest import load_claim

from medbill.core.errors import InputError
from medbill.forms import render_cms1500, render_ub04
from medbill.forms.cms1500 import CMS1500
from medbill.forms.ub04 import UB04


def placed_text(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Per page, every piece of text with the point where it was drawn."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font_dict, font_size, found=found):
            if text.strip():
                found.append((tm[4], tm[5], text))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def in_box(page, form, box_id, expected):
    box = form.boxes[box_id]
    texts = [text for x, y, text in page if box.contains(x, y)]
    return any(expected in text for text in texts), texts


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("1a", "HMH000111222"),
        ("2", "Lindqvist, Avery, J"),
        ("3", "03 14 1979   F"),
        ("5", "42 Orchard Lane"),
        ("6", "[X] SELF"),
        ("11", "GRP-7781"),
        ("11c", "Harbor Mutual Health"),
        ("17", "DN Lee Whitcombe"),
        ("17b", "1555123458"),
        ("21", "A. E1165"),
        ("21", "C. E785"),
        ("25", "371234567"),
        ("26", "PCN-OFFICE-0001"),
        ("28", "239.50"),
        ("33", "Maple Street Family Medicine"),
        ("33a", "1234567893"),
        ("24A.1", "03 02 26 03 02 26"),
        ("24B.1", "11"),
        ("24D.1", "99214 25"),
        ("24E.1", "AB"),
        ("24F.1", "185.00"),
        ("24G.1", "1"),
        ("24J.1", "1987654328"),
        ("24D.3", "36415"),
        ("24E.3", "AC"),
    ],
)
def test_cms1500_values_sit_in_their_boxes(box, expected):
    (page,) = placed_text(render_cms1500(load_claim("professional_office_visit")))
    found, texts = in_box(page, CMS1500, box, expected)
    assert found, f"{expected!r} not in box {box}: {texts}"


def test_cms1500_labels_are_printed():
    text = (
        PdfReader(io.BytesIO(render_cms1500(load_claim("professional_office_visit")))).pages[0].extract_text()
    )
    for label in (
        "1a. INSURED'S I.D. NUMBER",
        "21. DIAGNOSIS OR NATURE OF ILLNESS",
        "24. A. DATE(S) OF SERVICE",
        "33. BILLING PROVIDER INFO",
    ):
        assert label in text


def test_cms1500_ndc_goes_in_the_shaded_supplemental_row_and_child_relationship_is_checked():
    (page,) = placed_text(render_cms1500(load_claim("professional_dependent_ndc")))
    assert in_box(page, CMS1500, "24.2", "N400487980125 ML6")[0]
    assert in_box(page, CMS1500, "6", "[X] CHILD")[0]
    assert in_box(page, CMS1500, "2", "Delacroix, Nia")[0]
    assert in_box(page, CMS1500, "4", "Delacroix, Marcus")[0]
    assert in_box(page, CMS1500, "23", "AUTH-99812")[0]
    assert in_box(page, CMS1500, "10c", "[X] YES")[0]
    assert in_box(page, CMS1500, "24B.3", "22")[0]


def test_cms1500_replacement_and_secondary_boxes():
    (page,) = placed_text(render_cms1500(load_claim("professional_replacement")))
    assert in_box(page, CMS1500, "22", "7   HMH26070004512")[0]
    (page,) = placed_text(render_cms1500(load_claim("professional_secondary_cob")))
    assert in_box(page, CMS1500, "9", "Pellegrini, Jordan")[0]
    assert in_box(page, CMS1500, "9d", "Harbor Mutual Health")[0]
    assert in_box(page, CMS1500, "11d", "[X] YES")[0]
    assert in_box(page, CMS1500, "29", "104.00")[0]


def test_cms1500_continues_on_a_new_page_every_six_lines():
    claim = load_claim("professional_office_visit")
    lines = [claim.lines[0].replace(charge=Decimal(10 + i), procedure=f"9921{i % 5}") for i in range(14)]
    claim = claim.replace(lines=lines)
    pages = placed_text(render_cms1500(claim))
    assert len(pages) == 3
    assert in_box(pages[0], CMS1500, "28", "CONTINUED")[0]
    assert in_box(pages[1], CMS1500, "28", "CONTINUED")[0]
    assert in_box(pages[2], CMS1500, "28", f"{sum(10 + i for i in range(14))}.00")[0]
    assert in_box(pages[1], CMS1500, "24F.1", "16.00")[0], "page 2 starts with the seventh line"
    assert in_box(pages[2], CMS1500, "24F.2", "23.00")[0]
    assert not [t for x, y, t in pages[2] if CMS1500.boxes["24F.3"].contains(x, y)], "page 3 has two lines"
    for page in pages:
        assert in_box(page, CMS1500, "1a", "HMH000111222")[0], "claim information repeats on every page"


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("FL1", "Northfield General Hospital"),
        ("FL3a", "IP-2026-000318"),
        ("FL4", "0111"),
        ("FL5", "566667777"),
        ("FL6", "021026 021426"),
        ("FL8", "Fairbanks, Walter"),
        ("FL10", "09301948"),
        ("FL12", "021026"),
        ("FL13", "14"),
        ("FL14", "1"),
        ("FL15", "7"),
        ("FL16", "11"),
        ("FL17", "01"),
        ("FL42.1", "0120"),
        ("FL46.1", "4"),
        ("FL47.1", "7200.00"),
        ("FL44.3", "93458 26"),
        ("FL43.4", "N463323026201 ML10"),
        ("FL42.23", "0001"),
        ("FL47.23", "12456.00"),
        ("FL50A", "Medicare Part A Contractor"),
        ("FL56A", "1888999004"),
        ("FL60A", "1EG4TE5MK73"),
        ("FL66", "0"),
        ("FL67", "I214"),
        ("FL69", "R079"),
        ("FL74", "4A023N7 021126"),
        ("FL76", "1456789019  Bergstrom  Helena"),
    ],
)
def test_ub04_values_sit_in_their_form_locators(box, expected):
    (page,) = placed_text(render_ub04(load_claim("institutional_inpatient")))
    found, texts = in_box(page, UB04, box, expected)
    assert found, f"{expected!r} not in {box}: {texts}"


def test_ub04_secondary_claim_lists_the_prior_payer_first():
    (page,) = placed_text(render_ub04(load_claim("institutional_outpatient_secondary")))
    assert in_box(page, UB04, "FL50A", "Medicare Part A Contractor")[0]
    assert in_box(page, UB04, "FL54A", "412.16")[0]
    assert in_box(page, UB04, "FL50B", "Evergreen Supplemental")[0]
    assert in_box(page, UB04, "FL55B", "283.04")[0]


def test_ub04_continues_after_22_lines():
    claim = load_claim("institutional_inpatient")
    claim = claim.replace(lines=[claim.lines[1]] * 30)
    pages = placed_text(render_ub04(claim))
    assert len(pages) == 2
    assert in_box(pages[0], UB04, "FL43.23", "PAGE 1 OF 2")[0]
    assert not [t for x, y, t in pages[0] if UB04.boxes["FL47.23"].contains(x, y)]
    assert in_box(pages[1], UB04, "FL47.23", f"{310 * 30}.00")[0]


def test_each_form_refuses_the_other_claim_type():
    with pytest.raises(InputError, match="UB-04"):
        render_cms1500(load_claim("institutional_inpatient"))
    with pytest.raises(InputError, match="CMS-1500"):
        render_ub04(load_claim("professional_office_visit"))


def test_forms_cli_writes_the_pdf(tmp_path, capsys):
    from tests.x12.test_bad_input import cli

    out = tmp_path / "claim.pdf"
    claim = tmp_path / "claim.json"
    claim.write_text(load_claim("professional_office_visit").model_dump_json())
    assert cli(["forms", "cms1500", str(claim), "-o", str(out)], capsys)[0] == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert cli(["forms", "ub04", str(claim), "-o", str(tmp_path / "x.pdf")], capsys)[0] == 2
    assert not (tmp_path / "x.pdf").exists()
