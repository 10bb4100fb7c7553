"""The legality review (合法性审查) as plain data: levels, fines, repetition, citations."""
