"""Deputies' motions and suggestions, experts' and citizens' opinions, links to clauses."""
