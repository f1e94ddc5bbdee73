"""Alembic migrations of the transactional store, shipped inside the package (`medbill db upgrade`).

Revisions are linear and numbered: `NNNN_what.py` with `revision = "NNNN"` and `down_revision` the
previous number. Create one with `medbill db revision -m "what" --autogenerate` against a database
at head, then read and tidy what Alembic wrote (both SQLite and PostgreSQL must run it).
"""
