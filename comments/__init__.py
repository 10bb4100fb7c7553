"""Concord comments: consultation rounds, comments and their dispositions."""
