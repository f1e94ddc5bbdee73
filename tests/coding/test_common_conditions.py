"""Common outpatient and inpatient documentation, coded as the ICD-10-CM guidelines ask: short
synthetic notes written for the purpose, each with the codes a certified coder would report."""

from typing import Any

import pytest


def coded(result: Any) -> list[str]:
    return [c.code for c in result.codes]


CASES: list[tuple[str, list[str], list[str]]] = [
    # (note, codes that must be reported, code prefixes that must not be)
    ("Assessment: Essential hypertension, well controlled on lisinopril.", ["I10"], []),
    ("A/P: HTN. Continue amlodipine.", ["I10"], []),
    ("Hypertension and chronic kidney disease stage 3b.", ["I12.9", "N18.32"], ["I10"]),
    (
        "Hypertension. Chronic systolic heart failure, EF 30%.",
        ["I11.0", "I50.22"],
        ["I10"],
    ),
    ("Type 2 diabetes mellitus without complications.", ["E11.9"], []),
    ("Type 2 diabetes mellitus with hyperglycemia, A1c 9.8.", ["E11.65"], ["E11.9"]),
    ("Type 2 diabetes with diabetic polyneuropathy.", ["E11.42"], ["E11.9"]),
    ("Hyperlipidemia, on atorvastatin.", ["E78.5"], []),
    ("Pure hypercholesterolemia.", ["E78.00"], []),
    ("COPD, stable on tiotropium.", ["J44.9"], []),
    ("COPD exacerbation. Start prednisone.", ["J44.1"], ["J44.9"]),
    ("Asthma, mild intermittent, uncomplicated.", ["J45.20"], []),
    ("GERD, continue omeprazole.", ["K21.9"], []),
    ("Major depressive disorder, single episode.", ["F32.9"], []),
    ("Major depressive disorder, recurrent, moderate.", ["F33.1"], []),
    ("Generalized anxiety disorder.", ["F41.1"], []),
    ("Obesity. BMI 32.", ["E66.9", "Z68.32"], []),
    ("Hypothyroidism on levothyroxine.", ["E03.9"], []),
    ("Atrial fibrillation, rate controlled.", ["I48.91"], []),
    ("Heart failure with reduced ejection fraction.", ["I50.20"], []),
    ("Urinary tract infection. Start nitrofurantoin.", ["N39.0"], []),
    ("Community-acquired pneumonia, admitted for IV antibiotics.", ["J18.9"], []),
    ("Acute bronchitis.", ["J20.9"], []),
    ("Low back pain for two weeks.", ["M54.50"], []),
    ("Migraine.", ["G43.909"], []),
    ("Primary osteoarthritis of right knee.", ["M17.11"], []),
    ("Coronary artery disease.", ["I25.10"], []),
    ("CAD, stable.", ["I25.10"], []),
    ("Chief complaint: chest pain.", ["R07.9"], []),
    ("Headache.", ["R51.9"], []),
    ("No history of diabetes. Essential hypertension.", ["I10"], ["E11", "E10", "E13", "E08"]),
    ("Patient denies history of diabetes.", [], ["E11", "E10", "E13", "E08", "Z86"]),
    # abbreviations and the way notes spell things
    ("HFrEF, EF 25%.", ["I50.20"], ["I50.9"]),
    ("HFpEF.", ["I50.30"], ["I50.9"]),
    ("Hypothyroid, on levothyroxine.", ["E03.9"], []),
    ("AECOPD, admitted.", ["J44.1"], ["J44.9"]),
    ("Gastroesophageal reflux disease without esophagitis.", ["K21.9"], ["K20"]),
    ("HTN and CKD 4.", ["I12.9", "N18.4"], ["N18.9", "I10"]),
    # Alphabetic Index entries no Tabular title names
    ("Osteoarthritis of the left knee.", ["M17.12"], ["M17.9"]),
    ("OA right hip.", ["M16.11"], ["M16.9"]),
    ("BPH, on tamsulosin.", ["N40.0"], []),
    ("Strep throat, rapid strep positive.", ["J02.0"], ["J02.9"]),
    ("Current smoker.", ["F17.200"], []),
    ("Former smoker.", ["Z87.891"], ["F17"]),
    # titles that pair two conditions ("Syncope and collapse")
    ("Syncope.", ["R55"], []),
    ("Dizziness.", ["R42"], []),
    ("Hyponatremia, sodium 128.", ["E87.1"], []),
    ("Nausea.", ["R11.0"], ["R11.2"]),
    # the Index default of a with/without pair
    ("Acute cystitis, started nitrofurantoin.", ["N30.00"], []),
    ("Alcohol dependence.", ["F10.20"], []),
    # more combinations and Index entries
    ("Type 2 diabetes with diabetic retinopathy.", ["E11.319"], ["E11.9", "H35"]),
    ("Morbid obesity, BMI 42.", ["E66.01", "Z68.41"], ["E66.9"]),
    ("Hypertriglyceridemia.", ["E78.1"], []),
    ("Hepatitis C, treatment naive.", ["B19.20"], ["B15"]),
    ("HIV positive, asymptomatic.", ["Z21"], ["B20", "D84"]),
    ("Neck pain after lifting.", ["M54.2"], ["R52"]),
    ("Seasonal allergies.", ["J30.2"], ["T78"]),
    ("Annual physical exam.", ["Z00.00"], []),
    ("Flu vaccine given today.", ["Z23"], []),
]


@pytest.mark.parametrize(("note", "expected", "forbidden"), CASES, ids=[c[0][:40] for c in CASES])
def test_common_condition(coder: Any, note: str, expected: list[str], forbidden: list[str]) -> None:
    codes = coded(coder.code(note))
    for code in expected:
        assert code in codes, f"{code} missing from {codes}"
    for prefix in forbidden:
        assert not [c for c in codes if c.startswith(prefix)], f"{prefix} coded in {codes}"
