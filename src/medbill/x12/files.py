"""Write a file all at once: to a temporary file beside it, then rename, so no half-written output remains."""

import os
import tempfile
from pathlib import Path

from medbill.core.errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically; a failure leaves any previous file untouched."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{path}: the folder {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.fchmod(handle, 0o666 & ~mask)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
