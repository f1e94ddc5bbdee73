"""Who sends an interchange to whom: ISA/GS ids and qualifiers, usage T/P, submitter and receiver.

Read from a YAML or JSON file (`medbill edi write-837 --config FILE`)::

    sender_id: MYCLINIC01            # ISA06
    sender_qualifier: ZZ             # ISA05
    receiver_id: CLEARINGHOUSE       # ISA08
    receiver_qualifier: ZZ           # ISA07
    usage: T                         # ISA15: T test, P production
    submitter: {name: My Clinic, id: MYCLINIC01, contact: {name: Billing Office, phone: "5555550100"}}
    receiver: {name: Clearinghouse Inc, id: CLEARINGHOUSE}

The 835 writer also uses ``payer_contact`` (1000A PER*BL) and, for ACH payments, ``bank``.
"""

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from medbill.core.errors import InputError
from medbill.core.model import Frozen
from medbill.x12.delimiters import Delimiters


class Contact(Frozen):
    name: str = Field(min_length=1)
    phone: str | None = Field(default=None, pattern=r"^\d{10,20}$")
    email: str | None = None
    url: str | None = None


class Entity(Frozen):
    name: str = Field(min_length=1, max_length=60)
    id: str = Field(min_length=2, max_length=80)
    contact: Contact | None = None


class BankAccount(Frozen):
    """BPR06-09 / BPR12-15 of an 835 paid by ACH: ABA routing (qualifier 01) and account numbers."""

    payer_routing: str = Field(pattern=r"^\d{9}$")
    payer_account: str = Field(min_length=1, max_length=35)
    payee_routing: str = Field(pattern=r"^\d{9}$")
    payee_account: str = Field(min_length=1, max_length=35)
    account_type: Literal["DA", "SG"] = "DA"


class X12Config(Frozen):
    sender_id: str = Field(min_length=2, max_length=15)
    sender_qualifier: str = Field(default="ZZ", min_length=2, max_length=2)
    receiver_id: str = Field(min_length=2, max_length=15)
    receiver_qualifier: str = Field(default="ZZ", min_length=2, max_length=2)
    application_sender: str | None = Field(default=None, max_length=15, description="GS02; default sender_id")
    application_receiver: str | None = Field(
        default=None, max_length=15, description="GS03; default receiver_id"
    )
    usage: Literal["T", "P"] = "T"
    acknowledgment_requested: bool = False
    submitter: Entity | None = Field(default=None, description="837 loop 1000A; default: the sender")
    receiver: Entity | None = Field(default=None, description="837 loop 1000B; default: the receiver")
    element_separator: str = "*"
    component_separator: str = ":"
    repetition_separator: str = "^"
    segment_terminator: str = "~"
    line_breaks: bool = Field(default=True, description="a newline after each segment terminator")
    uppercase: bool = Field(default=True, description="write names and addresses in upper case")
    max_claims_per_transaction: int = Field(default=5000, ge=1, le=5000)
    payer_contact: Contact | None = Field(default=None, description="835 loop 1000A PER*BL")
    bank: BankAccount | None = None

    @property
    def delimiters(self) -> Delimiters:
        return Delimiters(
            element=self.element_separator,
            component=self.component_separator,
            repetition=self.repetition_separator,
            segment=self.segment_terminator,
        )

    @property
    def submitter_entity(self) -> Entity:
        if self.submitter is not None:
            return self.submitter
        return Entity(name=self.sender_id, id=self.sender_id, contact=Contact(name=self.sender_id))

    @property
    def receiver_entity(self) -> Entity:
        return self.receiver or Entity(name=self.receiver_id, id=self.receiver_id)


def load_config(value: "X12Config | dict[str, Any] | Path | str") -> X12Config:
    """An `X12Config` from a model, a dict, or a YAML/JSON file; problems raise `InputError`."""
    if isinstance(value, X12Config):
        return value
    where = "X12 config"
    if isinstance(value, (Path, str)):
        path = Path(value)
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{where}: cannot read the X12 config file ({exc.strerror})") from None
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise InputError(f"{where}: not valid JSON/YAML ({exc})") from None
    else:
        data = value
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a mapping of settings")
    try:
        config = X12Config.model_validate(data)
        config.delimiters  # noqa: B018 - validates the separators
    except ValidationError as exc:
        problems = tuple(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise InputError(f"{where}: invalid X12 config", problems) from None
    return config
