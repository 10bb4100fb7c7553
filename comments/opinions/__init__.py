"""Residents' opinions: stations, public intake, triage, the quarterly 专报."""
