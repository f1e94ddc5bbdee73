"""Where the scrubber finds its reference data when the caller does not hand it over.

1. The knowledge base (`medbill data build`): ICD-10-CM, HCPCS, CPT (when installed), POS, MCE,
   the MPFS section and the NCCI section.
2. For the parts the knowledge base does not carry (it is not built, or older): the official files
   of the data mirror (`MEDBILL_DATA_MIRROR/ncci`, `/mpfs`). The CMS PTP files are not mirrored:
   download them and install them with `medbill rules add-ncci` (then `medbill data build`).

Whatever is still missing is named in the `scrubber.not_checked` finding of every claim.
"""

import logging
from collections.abc import Sequence
from typing import Any

from medbill.codesets.ncci_files import tables_from_files
from medbill.codesets.ncci_section import ncci_files
from medbill.codesets.ncci_tables import NcciTables
from medbill.core.errors import DataError
from medbill.rules.overlay import PayerOverlay
from medbill.rules.reference import Reference
from medbill.rules.static import cpt_modifiers
from medbill.settings import Settings, get_settings

log = logging.getLogger(__name__)

KB_HINT = "the knowledge base is not built (run `medbill data build`)"


def load_reference(kb: Any = None, *, settings: Settings | None = None) -> Reference:
    """The reference data from `kb` (an open knowledge base; opened from the settings when None)."""
    settings = settings or get_settings()
    reference = Reference(cpt_modifiers=cpt_modifiers())
    if kb is None:
        kb = _open_default_kb(settings, reference)
    if kb is not None:
        from medbill.rules.kbref import apply_kb

        apply_kb(reference, kb)
    for part in ("icd10cm", "hcpcs", "hcpcs_modifiers", "pos", "mce"):
        if not reference.has(part):
            reference.notes.setdefault(part, KB_HINT)
    if reference.cpt is None:
        reference.notes.setdefault("cpt", "no CPT file installed (CPT is AMA-licensed)")
    if reference.ncci is None:
        reference.ncci = _ncci_from_files(settings)
    if not reference.has("ncci.ptp"):
        reference.notes["ncci.ptp"] = (
            "no CMS PTP tables installed (download ccipra-*/ccioph-* from CMS, then "
            "`medbill rules add-ncci FILES` and `medbill data build`)"
        )
    if reference.mpfs is None:
        reference.mpfs = _global_days_from_files(settings)
        if reference.mpfs is None:
            reference.notes["mpfs"] = "no MPFS relative value file installed"
    return reference


def _open_default_kb(settings: Settings, reference: Reference) -> Any:
    from medbill.codesets import open_kb

    try:
        return open_kb(settings.kb_path)
    except DataError as exc:
        for part in ("icd10cm", "hcpcs", "hcpcs_modifiers", "pos", "mce"):
            reference.notes[part] = str(exc)
        return None


def _ncci_from_files(settings: Settings) -> NcciTables | None:
    """The MUE and add-on tables of the data mirror, when the knowledge base has no NCCI section."""
    if settings.data_mirror is None:
        return None
    files = ncci_files(settings.data_mirror / "ncci")
    return tables_from_files(files) if files else None


def _global_days_from_files(settings: Settings) -> Any:
    from medbill.codesets.mpfs_section import mpfs_files
    from medbill.rules.global_days import GlobalDaysTable

    if settings.data_mirror is None:
        return None
    files = mpfs_files(settings.data_mirror / "mpfs").rvu
    return GlobalDaysTable.from_rvu_files(files) if files else None


def default_scrubber(kb: Any = None, overlays: Sequence[PayerOverlay] = ()) -> "Any":
    """A scrubber with the default reference data and the built-in (and installed) rule packs."""
    from medbill.rules.engine import Scrubber

    return Scrubber(load_reference(kb), overlays=overlays)
