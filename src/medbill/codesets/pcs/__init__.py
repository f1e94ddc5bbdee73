"""ICD-10-PCS: tables, codes file, index and definitions (CMS formats), section and lookups."""
