"""medbill.coding."""
