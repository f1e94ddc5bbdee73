"""medbill.api."""
