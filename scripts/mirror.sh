# Sourced by setup and CI: find the local mirror of official release files when none is set.
# Looks for a folder laid out like the workplace's shared/data next to (or above) the checkout.
if [ -z "${MEDBILL_DATA_MIRROR:-}" ]; then
  for candidate in ../shared/data ../../shared/data ../../../shared/data /work/shared/data; do
    if [ -d "$candidate/icd10cm" ]; then
      MEDBILL_DATA_MIRROR=$(cd "$candidate" && pwd)
      export MEDBILL_DATA_MIRROR
      break
    fi
  done
fi
