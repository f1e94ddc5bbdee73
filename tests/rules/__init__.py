"""Tests of the claim scrubber (issue 4)."""
