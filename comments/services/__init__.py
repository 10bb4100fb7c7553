"""One function per user action on rounds, comments, proposals and opinions."""
