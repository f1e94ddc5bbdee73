"""ICD-10-CM Tabular List: parser of the CDC XML, knowledge-base section and lookups."""
