"""The patient key: how the journal names a patient's account until the app has a patients table.

A patient is the person who received the care (the 2000C patient, or the subscriber when the patient
is the subscriber). The key is built from who the person is, not from an insurance member id, so it
stays the same when the claim moves from the primary to the secondary payer:
`LAST-FIRST-YYYYMMDD`, upper case, letters and digits only. A subscriber-patient without a birth
date (which the 837 requires, so the claim edits flag it) gets the member id instead of the date.

>>> from datetime import date
>>> from medbill.core.claim import Subscriber
>>> patient_key_of(Subscriber(member_id="X1", last_name="O'Neil", first_name="Mary Ann",
...                           birth_date=date(1950, 3, 1)))
'ONEIL-MARYANN-19500301'
"""

import re

from medbill.core.claim import Claim, Patient, Subscriber


def patient_key_of(person: Subscriber | Patient, member_id: str = "") -> str:
    last = re.sub(r"[^A-Z0-9]", "", person.last_name.upper())
    first = re.sub(r"[^A-Z0-9]", "", (person.first_name or "").upper())
    if person.birth_date is None:
        return f"{last}-{first}-M{re.sub(r'[^A-Z0-9]', '', member_id.upper())}"
    return f"{last}-{first}-{person.birth_date:%Y%m%d}"


def patient_key(claim: Claim) -> str:
    """The key of the claim's patient."""
    return patient_key_of(claim.person, claim.subscriber.member_id)
