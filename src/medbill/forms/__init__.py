"""medbill.forms."""
