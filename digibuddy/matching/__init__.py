"""Matching residents' requests to volunteers. `engine` is pure Python (no Flask, no SQLAlchemy)."""
