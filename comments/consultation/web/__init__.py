"""Consultation pages and /api/v1 endpoints."""
