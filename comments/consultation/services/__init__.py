"""One function per user action on rounds, comments and dispositions."""
