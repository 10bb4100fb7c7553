"""The tables of the comments package, re-exported by concept."""

from drafting import account_models as _account_models  # noqa: F401,E402  (issue 13: sessions)
from search import models as _search_models  # noqa: F401,E402  (issue 13: index outbox)
from comments.models.consultation import (  # noqa: F401
    Comment,
    Disposition,
    Round,
    RoundInvitation,
)
