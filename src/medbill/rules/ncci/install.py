"""`medbill rules add-ncci FILES...`: install CMS NCCI files you downloaded as knowledge-base releases.

The CMS PTP tables (`ccipra-v321r0-f1..f4`, `ccioph-…`) are too large for the data mirror; download
them from CMS and hand them over here (the `.txt` files or the `.zip` files as published). Each file
is read in full first (a malformed file is refused with the line that is wrong), then the files of
each release are copied, with a `release.json`, into `MEDBILL_HOME/user/<release id>/` — the place
the knowledge base takes user-supplied releases from. `medbill data build` then loads them into the
`ncci` section.
"""

import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from medbill.codesets import ncci_aoc, ncci_mue, ncci_ptp
from medbill.codesets.installed import sha256_of, write_marker
from medbill.codesets.ncci_files import kind_of
from medbill.codesets.ncci_section import SCHEMA, load_release, release_groups
from medbill.core.errors import InputError
from medbill.settings import Settings

COMPONENTS = {"practitioner": "practitioner", "outpatient_hospital": "outpatient", "dme": "dme"}
PUBLISHER = "Centers for Medicare & Medicaid Services (user-supplied download)"


def describe(release_id: str, paths: list[Path]) -> dict[str, Any]:
    """The `release.json` fields (without checksums) of one group of NCCI files."""
    kind = kind_of(paths[0])
    if kind == "ptp":
        ptp = ncci_ptp.release_of(paths[0])
        component = f"ptp-{COMPONENTS[ptp.setting]}"
        name = f"Medicare NCCI {ptp.setting.replace('_', ' ')} PTP edits {ptp.label}"
        start = ptp.effective
    elif kind == "mue":
        mue = ncci_mue.release_of(paths[0])
        component = f"mue-{COMPONENTS[mue.setting]}"
        name = f"Medicare NCCI {mue.setting.replace('_', ' ')} MUE table {mue.label}"
        start = mue.effective
    else:
        start = ncci_aoc.effective_of(paths[0])
        component = "aoc"
        name = f"Medicare NCCI add-on code edits {start.year} Q{(start.month - 1) // 3 + 1}"
    return {
        "id": f"user-{release_id}",
        "system": "ncci",
        "component": component,
        "name": name,
        "publisher": PUBLISHER,
        "effective_from": start.isoformat(),
        "effective_to": None,
    }


def add_ncci(settings: Settings, paths: list[Path]) -> list[dict[str, Any]]:
    """Check and install the files; returns what was installed (id, name, rows, path) per release."""
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise InputError("no such file: " + ", ".join(missing))
    unknown = [p.name for p in paths if kind_of(p) is None]
    if unknown:
        raise InputError(
            "not CMS NCCI file names (ccipra-/ccioph-vNNNrN-fN.txt|zip, MCR_MUE_*_Eff_MM-DD-YYYY.csv, "
            "AOC_VyyyyQn-MCR.xlsx): " + ", ".join(unknown)
        )
    user = settings.home / "user"
    user.mkdir(parents=True, exist_ok=True)
    installed = []
    for release_id, files in release_groups(paths):
        check = sqlite3.connect(":memory:")
        check.executescript(SCHEMA)
        rows = load_release(check, release_id, files)  # reads every row: refuses a malformed file
        check.close()
        marker = describe(release_id, files)
        staged = Path(tempfile.mkdtemp(prefix=f".add-{marker['id']}-", dir=user))
        try:
            for file in files:
                shutil.copyfile(file, staged / file.name)
            marker["files"] = {file.name: sha256_of(staged / file.name) for file in files}
            write_marker(staged, marker)
            target = user / marker["id"]
            if target.exists():
                shutil.rmtree(target)
            staged.replace(target)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        installed.append({"id": marker["id"], "name": marker["name"], "rows": rows, "path": str(target)})
    return installed
