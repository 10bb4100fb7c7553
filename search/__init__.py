"""Concord search: precedent and workspace search over a Whoosh index."""
