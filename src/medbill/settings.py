"""Settings, read from the environment when asked for (never at import time).

| variable | meaning | default |
|---|---|---|
| `MEDBILL_HOME` | where the knowledge base, release cache and embedded database live | the platform user-data dir |
| `MEDBILL_DATABASE_URL` | SQLAlchemy URL of the transactional store | SQLite file `medbill.db` in `MEDBILL_HOME` |
| `MEDBILL_DATA_MIRROR` | a local folder laid out like the official release mirror | none |
| `MEDBILL_KB` | path of the knowledge-base file | `kb.sqlite` in `MEDBILL_HOME` |
"""

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str
    data_mirror: Path | None
    kb_path: Path

    @property
    def releases_dir(self) -> Path:
        """Where synced release files are cached, one folder per release."""
        return self.home / "releases"


def get_settings() -> Settings:
    """Build the settings from the current environment."""
    home = Path(os.environ.get("MEDBILL_HOME") or platformdirs.user_data_dir("medbill")).expanduser()
    mirror = os.environ.get("MEDBILL_DATA_MIRROR")
    kb = os.environ.get("MEDBILL_KB")
    database_url = os.environ.get("MEDBILL_DATABASE_URL") or f"sqlite:///{home / 'medbill.db'}"
    return Settings(
        home=home,
        database_url=database_url,
        data_mirror=Path(mirror).expanduser() if mirror else None,
        kb_path=Path(kb).expanduser() if kb else home / "kb.sqlite",
    )
