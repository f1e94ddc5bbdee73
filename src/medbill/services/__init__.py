"""medbill.services."""
