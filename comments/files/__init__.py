"""Documents in and out: the 意见采纳情况表, reports, posters, imports."""
