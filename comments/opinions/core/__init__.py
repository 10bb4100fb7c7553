"""Pure logic of opinions: quarters, working days, tracking numbers."""
