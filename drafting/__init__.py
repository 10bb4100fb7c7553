"""Concord drafting: workspace, drafts, provisions, revisions, versions."""
