"""One function per user action on proposals and their links to provisions."""
