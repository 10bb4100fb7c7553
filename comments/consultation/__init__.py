"""Consultation: rounds, comments, dispositions, the 意见采纳情况表."""
