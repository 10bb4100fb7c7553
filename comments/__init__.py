"""Consultation (rounds, comments, dispositions), deputies' proposals and residents' opinions."""
