"""medbill: open-source medical coding and billing.

Clinical notes become ICD-10-CM / ICD-10-PCS / HCPCS codes with evidence, codes become claims that
are checked against payer rules and priced, claims become X12 837 files, and remittances (835)
post to a balanced accounts-receivable journal.
"""

__version__ = "0.1.0"
