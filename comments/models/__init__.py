"""The tables of the comments package, re-exported by concept."""
