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
CREATE TABLE search_token (token TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE search_fts USING fts5(
  core, extra, sys, content='', tokenize="unicode61 remove_diacritics 2"
);
INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(1.0, 0.3, 0.0)');
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


def _index_terms(conn: sqlite3.Connection, terms: Sequence[SearchTerm]) -> None:
    docs = []
    df: Counter[str] = Counter()
    for n, term in enumerate(terms, start=1):
        tokens = text.index_tokens(term.text)
        if not tokens:
            continue
        body = " ".join(tokens)
        df.update(set(tokens))
        core = " ".join(text.essential_tokens(term.text))
        docs.append(
            (n, term.system, term.release_id, term.code, term.kind, term.text, term.weight, body, core)
        )
    conn.executemany("INSERT INTO search_doc VALUES (?,?,?,?,?,?,?,?,?)", docs)
    conn.executemany(
        "INSERT INTO search_fts(rowid, core, extra, sys) VALUES (?,?,?,?)",
        ((d[0], d[8], " ".join(t for t in d[7].split() if t not in d[8].split()), d[1]) for d in docs),
    )
    conn.executemany("INSERT INTO search_token VALUES (?,?)", df.items())
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
            conn.execute("PRAGMA cache_size=-200000")
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
            conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
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
