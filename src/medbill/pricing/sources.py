"""Where pricing finds its reference data when the caller does not pass it.

1. The MPFS section of the knowledge base (`medbill data build`), when the base is built;
2. else the official files of the data mirror (`MEDBILL_DATA_MIRROR/mpfs`), loaded into memory.
"""

from functools import cache
from pathlib import Path

from medbill.codesets.mpfs_section import Mpfs, mpfs_files, require_files
from medbill.core.errors import DataError
from medbill.settings import get_settings


def default_mpfs() -> Mpfs:
    """The MPFS section for this process (opened or loaded once per path)."""
    settings = get_settings()
    if settings.kb_path.is_file():
        return _from_kb(settings.kb_path)
    if settings.data_mirror is not None:
        return _from_folder(settings.data_mirror / "mpfs")
    raise DataError(
        "no MPFS data: build the knowledge base (`medbill data build`) or set MEDBILL_DATA_MIRROR"
    )


@cache
def _from_kb(path: Path) -> Mpfs:
    from medbill.codesets import open_kb

    section = open_kb(path).mpfs
    assert isinstance(section, Mpfs)
    return section


@cache
def _from_folder(folder: Path) -> Mpfs:
    files = mpfs_files(folder)
    require_files(files)
    return Mpfs.from_files(files)
