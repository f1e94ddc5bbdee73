"""`medbill data add-cpt`: install a user's CPT file as a release under `MEDBILL_HOME/user/`."""

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from medbill.codesets.cpt.userfile import read_cpt_file
from medbill.codesets.installed import sha256_of, write_marker
from medbill.core.errors import InputError
from medbill.settings import Settings


def add_cpt(
    settings: Settings,
    path: Path,
    *,
    name: str,
    effective_from: date,
    effective_to: date | None = None,
    code_column: str | None = None,
    descriptor_column: str | None = None,
) -> dict[str, Any]:
    """Check the file, then copy it with its release description (atomically) into the user folder."""
    if effective_to is not None and effective_to < effective_from:
        raise InputError("--effective-to is before --effective-from")
    rows = read_cpt_file(path, code_column, descriptor_column)
    release_id = "cpt-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    user = settings.home / "user"
    user.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".add-{release_id}-", dir=user))
    try:
        target_name = "cpt" + path.suffix.lower()
        shutil.copyfile(path, staged / target_name)
        write_marker(
            staged,
            {
                "id": release_id,
                "system": "cpt",
                "component": "user",
                "name": name,
                "publisher": "American Medical Association (user-supplied licensed file)",
                "effective_from": effective_from.isoformat(),
                "effective_to": effective_to.isoformat() if effective_to else None,
                "files": {target_name: sha256_of(staged / target_name)},
                "columns": {"code": code_column, "descriptor": descriptor_column},
            },
        )
        target = user / release_id
        if target.exists():
            shutil.rmtree(target)
        staged.replace(target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return {"id": release_id, "rows": len(rows), "path": str(target)}
