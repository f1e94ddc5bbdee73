"""medbill.x12."""
