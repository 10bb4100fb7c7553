"""Every limit on the size of what users send, stated once.

Services refuse beyond them with a message naming the field; the API's description (OpenAPI)
and the input boundary (`concord/web/inputs.py`) quote the same numbers, so a client learns them
before it is refused. Limits on the shape of files (pixels, zip members) stay with their readers.
"""

MAX_ID = 2**31 - 1  # the largest id a path, a form or a JSON body may name
# The law's text.
MAX_TEXT = 20_000  # characters of one provision (a paragraph): edited, imported, adopted, a cell
MAX_DRAFT_CHARS = 2_000_000  # characters of a whole draft pasted or uploaded as text
MAX_ARTICLES = 3_000  # articles of one draft (and of one legality review)
MAX_PARAGRAPHS = 10_000  # paragraphs of one uploaded draft
# What people write about it.
MAX_BODY = 5_000  # a comment, the reason given for a decision on one
MAX_NOTE = 2_000  # the reason for an edit, a note on a review finding
MAX_QUOTE = 2_000  # the words a comment quotes
MAX_NAME = 120  # units, offices, delegations, sessions, stations (String(120) columns)
MAX_PROPOSAL_TEXT = 200_000  # a motion may carry a whole draft regulation
MAX_OPINION_TEXT = 2_000  # a resident's opinion
MAX_CONTACT = 120  # a resident's contact details
MAX_REMARK = 500  # a resident's remark with their rating of the reply
MAX_EMAIL = 254
