"""One function per user action on stations, intake, triage and reports."""
