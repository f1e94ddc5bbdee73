"""Data shipped with the rules: code lists that are not in the knowledge base."""
