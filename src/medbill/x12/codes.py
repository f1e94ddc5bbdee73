"""X12 code values the 837 mappers translate to and from the claim model's enums.

Individual relationship codes (SBR02, PAT01), payer responsibility sequence codes (SBR01), claim
filing indicator codes (SBR09) and the diagnosis/procedure code list qualifiers of HI.
"""

from medbill.core.claim import ClaimType, PayerType, Relationship, Responsibility

RELATIONSHIP_CODE = {
    Relationship.SELF: "18",
    Relationship.SPOUSE: "01",
    Relationship.CHILD: "19",
    Relationship.EMPLOYEE: "20",
    Relationship.UNKNOWN: "21",
    Relationship.ORGAN_DONOR: "39",
    Relationship.CADAVER_DONOR: "40",
    Relationship.LIFE_PARTNER: "53",
    Relationship.OTHER: "G8",
}
RELATIONSHIP_OF = {code: rel for rel, code in RELATIONSHIP_CODE.items()}

RESPONSIBILITY_CODE = {
    Responsibility.PRIMARY: "P",
    Responsibility.SECONDARY: "S",
    Responsibility.TERTIARY: "T",
}
RESPONSIBILITY_OF = {code: r for r, code in RESPONSIBILITY_CODE.items()}

# SBR09 / CLP06 claim filing indicator codes by payer type.
_MEDICARE = {"MA", "MB", "16"}
_MEDICAID = {"MC"}
_COMMERCIAL = {"12", "13", "14", "15", "17", "BL", "CI", "HM", "DS", "FI"}


def filing_indicator(payer_type: PayerType, claim_type: ClaimType) -> str:
    """SBR09 for a payer type: Medicare Part A (institutional) or B, Medicaid, commercial, other."""
    if payer_type == PayerType.MEDICARE:
        return "MA" if claim_type == ClaimType.INSTITUTIONAL else "MB"
    if payer_type == PayerType.MEDICAID:
        return "MC"
    if payer_type == PayerType.COMMERCIAL:
        return "CI"
    return "ZZ"


def payer_type_of(code: str) -> PayerType:
    """The payer type a claim filing indicator code stands for.

    >>> payer_type_of("MB"), payer_type_of("BL"), payer_type_of("WC")
    (<PayerType.MEDICARE: 'medicare'>, <PayerType.COMMERCIAL: 'commercial'>, <PayerType.OTHER: 'other'>)
    """
    if code in _MEDICARE:
        return PayerType.MEDICARE
    if code in _MEDICAID:
        return PayerType.MEDICAID
    if code in _COMMERCIAL:
        return PayerType.COMMERCIAL
    return PayerType.OTHER


# HI code list qualifiers: ICD-10-CM (and the ICD-9-CM ones a reader may meet).
DX_PRINCIPAL = ("ABK", "BK")
DX_OTHER = ("ABF", "BF")
DX_ADMITTING = ("ABJ", "BJ")
PCS_PRINCIPAL = ("BBR", "BR")
PCS_OTHER = ("BBQ", "BQ")
ICD9_QUALIFIERS = frozenset({"BK", "BF", "BJ", "BR", "BQ", "PR", "BN"})

ACCIDENT_CODE = {"auto": "AA", "employment": "EM", "other": "OA"}
ACCIDENT_OF = {code: kind for kind, code in ACCIDENT_CODE.items()}
