#!/usr/bin/env bash
# One-command setup for a fresh machine:
#   1. a virtualenv at .venv with medbill and its dev extras (editable install);
#   2. Debian's chromium for the browser tests (installed with apt when missing and we are root);
#   3. the official release files synced from the data mirror (when one is found), then the
#      knowledge base built under MEDBILL_HOME.
# Safe to run again: every step skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "medbill needs Python 3.11 or newer; none found on PATH (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

PY=$(pick_python)
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PY"
  "$PY" -m venv .venv
fi
echo "==> installing medbill[dev] into .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Debian's chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: chromium is not installed and apt-get is not usable here; browser tests will be skipped" >&2
  fi
fi

# shellcheck source=scripts/mirror.sh
. scripts/mirror.sh
if [ -n "${MEDBILL_DATA_MIRROR:-}" ]; then
  echo "==> syncing official releases from the mirror $MEDBILL_DATA_MIRROR"
  .venv/bin/medbill data sync --mirror "$MEDBILL_DATA_MIRROR"
else
  echo "note: no data mirror found (set MEDBILL_DATA_MIRROR); building the knowledge base from the embedded ICD-10-CM release only"
fi
echo "==> building the knowledge base"
.venv/bin/medbill data build
# The coder's learned parts (lexicon, similar cases, re-ranker) are rebuilt from the CodiEsp train
# split when the mirror has it (about a minute); without them the coder runs on rules alone.
if [ -n "${MEDBILL_DATA_MIRROR:-}" ] && [ -d "$MEDBILL_DATA_MIRROR/codiesp/train/text_files_en" ]; then
  if .venv/bin/medbill coding info --json | grep -q '"installed": true'; then
    echo "==> the coder's learned model is installed (retrain: .venv/bin/medbill coding train DIR)"
  else
    echo "==> training the coder's learned model on CodiEsp train"
    .venv/bin/medbill coding train "$MEDBILL_DATA_MIRROR/codiesp/train"
  fi
fi
echo "==> done. Try: .venv/bin/medbill codes search \"type 2 diabetes with chronic kidney disease\""
