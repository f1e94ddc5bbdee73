"""Where pricing finds its reference data when the caller does not pass it: the knowledge base.

Until the knowledge base carries the MPFS section, the official files are read from the data
mirror (`MEDBILL_DATA_MIRROR/mpfs`).
"""

from functools import cache
from pathlib import Path

from medbill.codesets.mpfs_section import Mpfs, mpfs_files, require_files
from medbill.core.errors import DataError
from medbill.settings import get_settings


def default_mpfs() -> Mpfs:
    """The MPFS section for this process (loaded once per folder)."""
    settings = get_settings()
    if settings.data_mirror is None:
        raise DataError(
            "no MPFS data: build the knowledge base (medbill data build) or set MEDBILL_DATA_MIRROR"
        )
    return _from_folder(settings.data_mirror / "mpfs")


@cache
def _from_folder(folder: Path) -> Mpfs:
    files = mpfs_files(folder)
    require_files(files)
    return Mpfs.from_files(files)
