"""The shell's web parts: sign-in, request context, input boundary, OpenAPI, security."""
