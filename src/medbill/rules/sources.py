"""The publications the built-in rules implement, cited by every finding they produce.

Rules whose content comes from a dated release (NCCI tables, code sets) cite the release in force
on the date of service instead; these are the documents behind the rules themselves.
"""

from medbill.core.findings import Source

X12_837P = Source(name="ASC X12N 837 Professional implementation guide", release="005010X222A1")
X12_837I = Source(name="ASC X12N 837 Institutional implementation guide", release="005010X223A2")
X12_837 = Source(name="ASC X12N 837 implementation guides", release="005010X222A1 / 005010X223A2")
NPI_RULE = Source(
    name="HIPAA NPI standard, 45 CFR 162.406; NPI check digit (ISO/IEC 7812 Luhn with prefix 80840)",
    release="CMS NPI check digit specification",
)
IRS_TIN = Source(name="IRS taxpayer identification numbers (EIN / SSN)")
CMS_POS = Source(name="CMS Place of Service code set")
CMS_CLAIMS_MANUAL = Source(name="CMS Medicare Claims Processing Manual (Pub. 100-04)")
ICD10CM_GUIDELINES = Source(name="ICD-10-CM Official Guidelines for Coding and Reporting", release="FY2026")
ICD10CM_TABULAR = Source(name="ICD-10-CM Tabular List (CDC/NCHS)")
ICD10PCS = Source(name="CMS ICD-10-PCS code tables")
MCE = Source(name="CMS Definitions of Medicare Code Edits (MCE)")
HCPCS = Source(name="CMS HCPCS Level II code set")
CPT = Source(name="AMA CPT code set (user-supplied file)")
NCCI_PTP = Source(name="CMS NCCI Procedure-to-Procedure edits")
NCCI_MUE = Source(name="CMS NCCI Medically Unlikely Edits")
NCCI_AOC = Source(name="CMS NCCI Add-on Code edits")
NCCI_MANUAL = Source(name="NCCI Policy Manual for Medicare Services")
MPFS = Source(name="CMS Medicare Physician Fee Schedule relative value file (global surgery days)")
GLOBAL_SURGERY = Source(
    name="CMS global surgery rules (Claims Processing Manual ch. 12 §30.6.6, §40.1; NCCI Policy Manual ch. I)"
)
