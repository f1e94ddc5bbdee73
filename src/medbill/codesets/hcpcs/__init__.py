"""HCPCS Level II codes and modifiers: the CMS alpha-numeric file, section and lookups."""
