"""Consultation rounds, comments and dispositions (tables arrive with their issue)."""
