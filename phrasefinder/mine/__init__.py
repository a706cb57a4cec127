"""Mine: formula candidates from a corpus, by n-gram statistics and formula shapes."""
