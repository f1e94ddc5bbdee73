"""medbill.codesets."""
