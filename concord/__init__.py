"""Concord's application shell: app factory, CLI, database and migrations, accounts, i18n."""
