"""Pieces shared by every domain area: database helpers, locale handling, scoping, errors."""
