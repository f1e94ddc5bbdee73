"""FHIR R4 in and out, with `fhir.resources` (its R4B models: FHIR 4.3, the R4 technical correction,
whose Patient, Coverage, Encounter, Condition, Procedure, Practitioner, Organization,
DocumentReference, Claim and ExplanationOfBenefit have the R4 structure).

`bundle_in.read_bundle` turns a Bundle into plain values the app stores as an encounter to code and
bill; `claim_out.claim_resource` and `eob_out.eob_resource` build FHIR resources from a claim and a
posted remittance. Every resource is validated by constructing it with `fhir.resources`.
"""
