"""medbill.pricing."""
