"""The traceability report as Word."""
