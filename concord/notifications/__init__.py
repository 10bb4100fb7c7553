"""Notifications: the inbox every domain writes to through `events.notify`, and their e-mail."""
