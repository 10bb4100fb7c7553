"""Pure logic of comments and proposals: anchors, chains, numbering; standard library only."""
