"""`medbill data build`: compile every installed release into one SQLite knowledge base.

The base is written to a temporary file next to the target and renamed into place only when every
section loaded and the file passed an integrity check, so a failed build leaves the previous base
untouched. Shared tables: `meta` (format fingerprint, build time), `release` (each loaded release
with its dates and row count), `search_doc` + `search_fts` (FTS5 over every searchable text).
"""

import os
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from medbill import __version__
from medbill.codesets import text
from medbill.codesets.installed import InstalledRelease, verify_installed
from medbill.codesets.sections import BuildContext, SearchTerm, Section, fingerprint
from medbill.core.errors import DataError

SHARED_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE release (
  id TEXT PRIMARY KEY, system TEXT NOT NULL, component TEXT NOT NULL, name TEXT NOT NULL,
  publisher TEXT NOT NULL, url TEXT NOT NULL, effective_from TEXT NOT NULL, effective_to TEXT,
  source TEXT NOT NULL, section TEXT NOT NULL, row_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE search_doc (
  id INTEGER PRIMARY KEY, system TEXT NOT NULL, release_id TEXT NOT NULL, code TEXT NOT NULL,
  kind TEXT NOT NULL, text TEXT NOT NULL, weight REAL NOT NULL, body TEXT NOT NULL, core TEXT NOT NULL
);
CREATE TABLE search_token (system TEXT NOT NULL, token TEXT NOT NULL, df INTEGER NOT NULL,
  PRIMARY KEY (token, system)) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class BuildReport:
    path: Path
    seconds: float
    sections: dict[str, int]
    releases: dict[str, int]
    search_terms: int


def _insert_release(conn: sqlite3.Connection, item: InstalledRelease, section: str) -> None:
    r = item.release
    conn.execute(
        "INSERT OR IGNORE INTO release VALUES (?,?,?,?,?,?,?,?,?,?,0)",
        (
            r.id,
            r.system,
            r.component,
            r.name,
            r.publisher,
            r.url,
            r.effective.start.isoformat(),
            r.effective.end.isoformat() if r.effective.end else None,
            item.source,
            section,
        ),
    )


def fts_table(system: str) -> str:
    """The FTS5 table of one code system's search terms (one per system keeps filters cheap)."""
    return "search_fts_" + "".join(c for c in system if c.isalnum())


def _index_terms(conn: sqlite3.Connection, terms: Sequence[SearchTerm]) -> None:
    """Store the search terms, shortest first: ids grow with a term's essential length, so a search
    can read the first matches in id order (cheap) instead of ranking every match."""
    prepared = []
    df: dict[str, Counter[str]] = {}
    for n, term in enumerate(terms):
        tokens = text.index_tokens(term.text)
        if not tokens:
            continue
        df.setdefault(term.system, Counter()).update(set(tokens))
        core = text.essential_tokens(term.text)
        extra = [t for t in tokens if t not in core]
        prepared.append((len(core), -term.weight, n, term, tokens, core, extra))
    prepared.sort(key=lambda p: p[:3])
    docs = [
        (
            i,
            t.system,
            t.release_id,
            t.code,
            t.kind,
            t.text,
            t.weight,
            " ".join(tokens),
            " ".join(core),
            " ".join(extra),
        )
        for i, (_, _, _, t, tokens, core, extra) in enumerate(prepared, start=1)
    ]
    conn.executemany("INSERT INTO search_doc VALUES (?,?,?,?,?,?,?,?,?)", (d[:9] for d in docs))
    for system, counts in df.items():
        table = fts_table(system)
        conn.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5(core, extra, content='', detail=none,"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        conn.executemany(
            f"INSERT INTO {table}(rowid, core, extra) VALUES (?,?,?)",
            ((d[0], d[8], d[9]) for d in docs if d[1] == system),
        )
        conn.executemany(
            "INSERT INTO search_token VALUES (?,?,?)", ((system, t, c) for t, c in counts.items())
        )
    conn.execute("CREATE INDEX search_doc_code ON search_doc(system, code)")


def build(
    target: Path,
    sections: Sequence[Section],
    installed: Sequence[InstalledRelease],
    *,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildReport:
    """Build the base at `target` from `installed` releases; atomic (temp file + rename)."""
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".kb-build-", suffix=".sqlite", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        for item in installed:
            if any(s.wants(item) for s in sections):
                progress(f"checking {item.release.id}")
                verify_installed(item)
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA cache_size=-64000")
            conn.executescript(SHARED_SCHEMA)
            ctx = BuildContext(conn, progress)
            section_rows: dict[str, int] = {}
            release_rows: dict[str, int] = {}
            for section in sections:
                conn.executescript(section.schema)
                mine = [item for item in installed if section.wants(item)]
                for item in mine:
                    _insert_release(conn, item, section.name)
                progress(f"loading {section.name}")
                counts = dict(section.load(ctx, mine)) if mine else {}
                for release_id, rows in counts.items():
                    conn.execute("UPDATE release SET row_count=? WHERE id=?", (rows, release_id))
                    release_rows[release_id] = rows
                section_rows[section.name] = sum(counts.values())
            progress("indexing search terms")
            _index_terms(conn, ctx.terms)
            meta = {
                "format": fingerprint(sections),
                "sections": " ".join(sorted(s.name for s in sections)),
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "medbill_version": __version__,
            }
            conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
            conn.commit()
            progress("optimizing")
            for (table,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE name GLOB 'search_fts_*' AND sql LIKE '%fts5%'"
            ).fetchall():
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            conn.commit()
            conn.execute("ANALYZE")
            conn.commit()
            status = conn.execute("PRAGMA quick_check").fetchone()[0]
            if status != "ok":
                raise DataError(f"knowledge base integrity check failed: {status}")
        finally:
            conn.close()
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BuildReport(
        path=target,
        seconds=time.perf_counter() - started,
        sections=section_rows,
        releases=release_rows,
        search_terms=len(ctx.terms),
    )
