"""Users, API tokens, sign-in sessions and passwords."""
