"""Control numbers (ISA13, GS06, ST02) that are never reused, kept in a small file under MEDBILL_HOME.

One JSON file maps each sender (``ISA05:ISA06``) to the last interchange, group and transaction set
numbers handed out. Allocation holds an exclusive lock on a side file while it reads, increments
and atomically replaces the JSON (write to a temporary file, then rename), so two processes never
get the same numbers and a crash never leaves a half-written file.
"""

import fcntl
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from medbill.core.errors import DataError
from medbill.settings import get_settings

MAXIMUM = 999_999_999


@dataclass(frozen=True, slots=True)
class Allocation:
    interchanges: tuple[int, ...]
    groups: tuple[int, ...]
    transactions: tuple[int, ...]


class ControlNumberStore:
    """Hands out increasing control numbers per sender, persisted in ``path``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or get_settings().home / "x12" / "control-numbers.json"

    def allocate(
        self, sender: str, *, interchanges: int = 1, groups: int = 1, transactions: int = 1
    ) -> Allocation:
        """Reserve the next numbers for ``sender``; they are on disk before this returns."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_suffix(".lock")
        with lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self._read()
                last = data.setdefault(sender, {"interchange": 0, "group": 0, "transaction": 0})
                result = Allocation(
                    interchanges=self._take(last, "interchange", interchanges),
                    groups=self._take(last, "group", groups),
                    transactions=self._take(last, "transaction", transactions),
                )
                self._write(data)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return result

    def last(self, sender: str) -> dict[str, int]:
        """The last numbers handed out to ``sender`` (zeros when none)."""
        return dict(self._read().get(sender, {"interchange": 0, "group": 0, "transaction": 0}))

    @staticmethod
    def _take(last: dict[str, int], kind: str, count: int) -> tuple[int, ...]:
        start = int(last.get(kind, 0))
        if start + count > MAXIMUM:
            raise DataError(f"X12 {kind} control numbers are exhausted (last {start}); start a new sender id")
        last[kind] = start + count
        return tuple(range(start + 1, start + count + 1))

    def _read(self) -> dict[str, dict[str, int]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"{self.path}: the control-number file is corrupt ({exc}); fix or restore it"
            ) from None
        if not isinstance(data, dict):
            raise DataError(f"{self.path}: the control-number file is corrupt (not a JSON object)")
        return data

    def _write(self, data: dict[str, dict[str, int]]) -> None:
        handle, temporary = tempfile.mkstemp(prefix=".control-", dir=self.path.parent)
        mask = os.umask(0)
        os.umask(mask)
        try:
            os.fchmod(handle, 0o666 & ~mask)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=2, sort_keys=True)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
