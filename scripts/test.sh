#!/usr/bin/env bash
# The test suite: lint and type checks on src/, then pytest (SQLite and PostgreSQL, browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/mirror.sh
. scripts/mirror.sh
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
