"""Pure logic of consultation: where a comment's quoted words are found again."""
