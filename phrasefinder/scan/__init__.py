"""Scan: the matcher, its hits, the hits files, and the pipeline that runs it over many documents."""
