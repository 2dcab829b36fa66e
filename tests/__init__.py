"""Tests: unit (fast, real small data), integration (real servers on loopback), stories (tests/stories)."""
