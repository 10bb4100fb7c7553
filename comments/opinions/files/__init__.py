"""Posters, photos, charts and the quarterly report as Word."""
