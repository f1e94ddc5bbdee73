"""medbill.ar."""
