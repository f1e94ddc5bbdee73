"""medbill.web."""
