"""CPT (AMA-licensed): loaded only from a file the user supplies; never shipped with medbill."""
