"""Implementation-guide structure files (YAML), one per transaction; see `medbill.x12.guide`."""
