"""The claim: what a provider bills one payer for one patient.

Professional claims (837P / CMS-1500) and institutional claims (837I / UB-04) share one model; the
institutional fields are optional and checked by the rules. JSON field names are a public
contract (other tools read and write them); `medbill claims schema` prints the JSON Schema.
"""

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from medbill.core.model import Frozen, Money, Quantity


class ClaimType(StrEnum):
    PROFESSIONAL = "professional"
    INSTITUTIONAL = "institutional"


class Frequency(StrEnum):
    """Claim frequency code (CLM05-3): original, replacement of a prior claim, or void."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"


class PayerType(StrEnum):
    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"
    OTHER = "other"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"


class Relationship(StrEnum):
    """Patient's relationship to the subscriber (mapped to X12 individual relationship codes)."""

    SELF = "self"
    SPOUSE = "spouse"
    CHILD = "child"
    EMPLOYEE = "employee"
    LIFE_PARTNER = "life_partner"
    ORGAN_DONOR = "organ_donor"
    CADAVER_DONOR = "cadaver_donor"
    OTHER = "other"
    UNKNOWN = "unknown"


class Responsibility(StrEnum):
    """Which payer this claim is billed to in coordination of benefits (SBR01)."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"


class AdjustmentGroup(StrEnum):
    """CAS01 claim adjustment group codes."""

    CONTRACTUAL = "CO"
    PATIENT_RESPONSIBILITY = "PR"
    OTHER = "OA"
    PAYER_INITIATED = "PI"
    CORRECTION = "CR"


class Address(Frozen):
    line1: str = Field(min_length=1)
    line2: str | None = None
    city: str = Field(min_length=1)
    state: str = Field(min_length=2, max_length=2)
    zip: str = Field(pattern=r"^\d{5}(-?\d{4})?$")

    @property
    def zip5(self) -> str:
        return self.zip[:5]


class Payer(Frozen):
    id: str = Field(min_length=1, description="Payer id as the clearinghouse knows it (NM109 of 2010BB)")
    name: str = Field(min_length=1)
    type: PayerType = PayerType.COMMERCIAL
    address: Address | None = None


class BillingProvider(Frozen):
    npi: str
    tax_id: str = Field(description="EIN (9 digits, dash optional) or SSN")
    name: str = Field(min_length=1)
    address: Address
    taxonomy: str | None = None


class Provider(Frozen):
    """An individual provider (rendering, referring, attending, operating)."""

    npi: str
    first_name: str | None = None
    last_name: str = Field(min_length=1)
    taxonomy: str | None = None


class ServiceFacility(Frozen):
    name: str = Field(min_length=1)
    address: Address
    npi: str | None = None


class Subscriber(Frozen):
    member_id: str = Field(min_length=1)
    first_name: str | None = None
    last_name: str = Field(min_length=1)
    middle_name: str | None = None
    birth_date: dt.date | None = Field(
        default=None,
        description="Required when the subscriber is the patient; the 837 does not carry it otherwise",
    )
    sex: Sex = Sex.UNKNOWN
    address: Address | None = None
    group_number: str | None = None


class Patient(Frozen):
    """The patient when not the subscriber (837 loop 2000C); omitted when the patient is the subscriber."""

    first_name: str | None = None
    last_name: str = Field(min_length=1)
    middle_name: str | None = None
    birth_date: dt.date
    sex: Sex = Sex.UNKNOWN
    address: Address | None = None
    relationship: Relationship = Relationship.CHILD


class Accident(Frozen):
    type: str = Field(pattern="^(auto|employment|other)$")
    date: dt.date | None = None
    state: str | None = Field(default=None, min_length=2, max_length=2)


class CasAdjustment(Frozen):
    """One claim adjustment (CAS group, CARC reason, amount, optional quantity)."""

    group: AdjustmentGroup
    reason: str = Field(min_length=1, max_length=5)
    amount: Money
    quantity: Quantity | None = None


class LineAdjudication(Frozen):
    """A prior payer's decision on one service line (837 loop 2430), for secondary claims."""

    line: int = Field(ge=1, description="1-based number of the service line on this claim")
    paid: Money
    adjudication_date: dt.date
    procedure: str | None = None
    modifiers: tuple[str, ...] = ()
    units: Quantity | None = None
    adjustments: tuple[CasAdjustment, ...] = ()


class OtherPayer(Frozen):
    """A payer that already adjudicated this claim (837 loops 2320/2330), for COB claims."""

    payer: Payer
    responsibility: Responsibility = Responsibility.PRIMARY
    subscriber: Subscriber
    relationship: Relationship = Relationship.SELF
    paid: Money = Decimal("0.00")
    adjudication_date: dt.date | None = Field(
        default=None,
        description="When this payer adjudicated the claim; None when it has not (the 837 then only reports "
        "the other coverage)",
    )
    payer_claim_number: str | None = None
    adjustments: tuple[CasAdjustment, ...] = ()
    lines: tuple[LineAdjudication, ...] = ()

    @property
    def remaining_patient_liability(self) -> Decimal:
        """Sum of this payer's PR adjustments (claim and line level)."""
        claim_pr = sum(
            (a.amount for a in self.adjustments if a.group == AdjustmentGroup.PATIENT_RESPONSIBILITY),
            Decimal("0"),
        )
        line_pr = sum(
            (
                a.amount
                for ln in self.lines
                for a in ln.adjustments
                if a.group == AdjustmentGroup.PATIENT_RESPONSIBILITY
            ),
            Decimal("0"),
        )
        return claim_pr + line_pr


class ServiceLine(Frozen):
    procedure: str = Field(
        default="",
        description="CPT or HCPCS code; may be empty only on an institutional line that has a revenue_code "
        "(e.g. room and board)",
    )
    modifiers: tuple[str, ...] = ()
    units: Quantity = Decimal("1")
    charge: Money
    service_date: dt.date
    service_date_end: dt.date | None = None
    diagnosis_pointers: tuple[int, ...] = (1,)
    place_of_service: str | None = None
    ndc: str | None = None
    ndc_quantity: Quantity | None = None
    ndc_unit: str | None = Field(default=None, description="NDC unit of measure: UN, ML, GR, F2, ME")
    revenue_code: str | None = None
    rendering_provider: Provider | None = None

    @field_validator("procedure")
    @classmethod
    def _upper_procedure(cls, value: str) -> str:
        return value.upper()

    @model_validator(mode="after")
    def _procedure_or_revenue_code(self) -> "ServiceLine":
        if not self.procedure and not self.revenue_code:
            raise ValueError(
                "a service line needs a procedure (or, on an institutional claim, a revenue_code)"
            )
        return self

    @field_validator("modifiers")
    @classmethod
    def _upper_modifiers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(m.strip().upper() for m in value)


class Admission(Frozen):
    date: dt.date
    hour: dt.time | None = None
    type: str | None = Field(default=None, description="UB-04 FL 14 priority (type) of admission")
    source: str | None = Field(default=None, description="UB-04 FL 15 point of origin")


class Discharge(Frozen):
    date: dt.date
    hour: dt.time | None = None


class ProcedureCode(Frozen):
    """An ICD-10-PCS procedure on an institutional claim."""

    code: str = Field(min_length=3, max_length=8)
    date: dt.date

    @field_validator("code")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.replace(".", "").upper()


class Claim(Frozen):
    claim_id: str = Field(min_length=1, max_length=38, description="Patient control number (CLM01)")
    type: ClaimType = ClaimType.PROFESSIONAL
    frequency: Frequency = Frequency.ORIGINAL
    payer_claim_number: str | None = Field(
        default=None, description="The payer's number for the claim being replaced or voided (frequency 7/8)"
    )
    place_of_service: str | None = None
    payer: Payer
    responsibility: Responsibility = Responsibility.PRIMARY
    billing_provider: BillingProvider
    rendering_provider: Provider | None = None
    referring_provider: Provider | None = None
    attending_provider: Provider | None = None
    service_facility: ServiceFacility | None = None
    subscriber: Subscriber
    patient: Patient | None = None
    diagnoses: tuple[str, ...] = ()
    lines: tuple[ServiceLine, ...] = ()
    prior_authorization: str | None = None
    onset_date: dt.date | None = None
    accident: Accident | None = None
    other_payers: tuple[OtherPayer, ...] = ()
    # institutional (837I / UB-04)
    type_of_bill: str | None = None
    admission: Admission | None = None
    discharge: Discharge | None = None
    procedures: tuple[ProcedureCode, ...] = ()
    patient_status: str | None = None
    admitting_diagnosis: str | None = None

    @field_validator("diagnoses")
    @classmethod
    def _normalise_diagnoses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalise_icd10cm(code) for code in value)

    @property
    def total_charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal("0.00"))

    @property
    def person(self) -> Subscriber | Patient:
        """The patient: the 2000C patient when present, otherwise the subscriber."""
        return self.patient or self.subscriber

    @property
    def first_service_date(self) -> dt.date | None:
        return min((line.service_date for line in self.lines), default=None)

    @property
    def last_service_date(self) -> dt.date | None:
        return max((line.service_date_end or line.service_date for line in self.lines), default=None)


def normalise_icd10cm(code: str) -> str:
    """Canonical ICD-10-CM form: upper case, dot after the third character.

    >>> normalise_icd10cm("e1165"), normalise_icd10cm("I10"), normalise_icd10cm(" s72.001a ")
    ('E11.65', 'I10', 'S72.001A')
    """
    bare = code.strip().replace(".", "").upper()
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"
