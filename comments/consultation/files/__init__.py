"""The consultation tables as Word and CSV."""
