"""The tables of the comments package, re-exported by concept."""

from comments.models.consultation import (  # noqa: F401
    Comment,
    Disposition,
    Round,
    RoundInvitation,
)
from comments.models.opinion_loop import (  # noqa: F401
    FollowUp,
    Office,
    OpinionRating,
    Supervision,
)
from comments.models.proposals import Proposal, ProposalLink  # noqa: F401
from comments.models.stations import (  # noqa: F401
    DeadlineRule,
    OpinionEvent,
    OpinionIntake,
    OpinionPhoto,
    Station,
)
