"""Repositories: typed access to the tables within a unit of work (no commits here)."""
