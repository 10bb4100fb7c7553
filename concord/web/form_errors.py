"""A refused form shown again: each message beside its field, the user's input and choices kept.

Every form of the app uses the same pattern: the view catches the domain error, builds
`FormErrors.from_error(err, form_id, request.form)` and renders the page again with it as
`errors`; the template imports the macros of `templates/_form_errors.html` (`field_error`,
`form_error`, `invalid`) and reads the kept values with `errors.value(name)`. Services name the
field in the error (`BadInput(message, field="reason")`); the message itself names no internal
field, and is already in the request's language.
"""

from __future__ import annotations

from drafting.errors import ConcordError


class FormErrors:
    """Messages of one refused form by field name, with what the user had entered."""

    def __init__(self, form_id: str = "", values=None):
        self.form_id = form_id
        self.values = values if values is not None else {}
        self.fields: dict[str, str] = {}
        self.details: dict[str, dict] = {}
        self.general: list[str] = []

    @classmethod
    def from_error(cls, err: ConcordError, form_id: str = "", values=None) -> FormErrors:
        """Place a domain error's message under the field it names, or above the form."""
        errors = cls(form_id, values)
        details = {k: v for k, v in err.details.items() if k != "field"}
        errors.add(err.details.get("field"), err.message, **details)
        return errors

    def add(self, field: str | None, message: str, **details) -> None:
        """Add a message for a field (None: the form as a whole)."""
        if field:
            self.fields[field] = message
            self.details[field] = details
        else:
            self.general.append(message)

    def of(self, form_id: str) -> bool:
        """Return whether these are the errors of the form `form_id`."""
        return bool(self) and self.form_id == form_id

    def get(self, field: str) -> str | None:
        """Return the message of a field, or None."""
        return self.fields.get(field)

    def detail(self, field: str, name: str):
        """Return a detail the service gave with a field's error (e.g. the nearest quote)."""
        return self.details.get(field, {}).get(name)

    def value(self, name: str, default: str = "") -> str:
        """Return what the user had entered in a field, or the default."""
        value = self.values.get(name) if self.values else None
        return default if value is None else value

    def value_for(self, form_id: str, name: str, default: str = "") -> str:
        """Return what the user had entered in a field of `form_id` (others get the default)."""
        return self.value(name, default) if self.form_id == form_id else default

    def values_of(self, name: str) -> list[str]:
        """Return the choices the user had ticked in a multi-valued field."""
        getlist = getattr(self.values, "getlist", None)
        return getlist(name) if getlist else []

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)
