"""The tables of the comments package, re-exported by concept."""

from comments.models.consultation import (  # noqa: F401
    Comment,
    Disposition,
    Round,
    RoundInvitation,
)
