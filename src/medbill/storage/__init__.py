"""medbill.storage."""
