"""Every access rule of Concord, stated once: a check, and the SQL filter built from it.

One module per kind of object: `roles` (who is active, staff, an admin), `clauses` (the small
combinators that let one definition serve as a check and as an SQL filter), `workspace`
(projects and drafts), `consultation` (rounds and comments), `proposals`, `opinions`
(residents' opinions and stations), `contacts` (who sees a resident's contact details) and
`search` (which indexed documents a user finds). Pages, API, exports and search ask only here.
"""
