"""Domain exceptions that views, the API and the CLI map to messages and status codes."""


class ConcordError(Exception):
    """Base class of every error a user can cause; its message is shown as it is."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class BadInput(ConcordError):
    """A request whose fields are missing or malformed."""

    status = 400
    code = "bad_input"


class BadDocument(ConcordError):
    """An uploaded or given file that cannot be read as a regulation."""

    status = 422
    code = "bad_document"


class NotFound(ConcordError):
    """An unknown object, or one the caller may not see."""

    status = 404
    code = "not_found"


class NotPermitted(ConcordError):
    """An action the caller's role or jurisdiction does not allow."""

    status = 403
    code = "forbidden"


class NotAuthenticated(ConcordError):
    """A request without a valid session or API token."""

    status = 401
    code = "unauthorized"


class Conflict(ConcordError):
    """A change that clashes with the current state (duplicate, already decided)."""

    status = 409
    code = "conflict"


class StaleRevision(Conflict):
    """An edit based on a revision that has since been superseded and cannot be merged."""

    code = "edit_conflict"


class DatabaseUnavailable(ConcordError):
    """The database cannot be reached, upgraded, or its URL is not usable."""

    status = 503
    code = "database_unavailable"


class TooLarge(ConcordError):
    """A text or file beyond the stated limits (lines, rows, unpacked size)."""

    status = 413
    code = "too_large"
