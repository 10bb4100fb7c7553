"""Opinion pages, the public intake form and /api/v1 endpoints."""
