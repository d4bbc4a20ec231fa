"""Residents' rights over their data (see and export it, have it erased) and retention of every personal
record: one place for anonymisation, used by erasure and by the daily retention job."""
