"""Review: the pending queue of candidates and the log of curators' decisions."""
