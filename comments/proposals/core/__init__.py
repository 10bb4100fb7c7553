"""Pure logic of proposals: text similarity and segments for links."""
