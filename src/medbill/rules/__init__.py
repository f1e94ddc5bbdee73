"""medbill.rules."""
