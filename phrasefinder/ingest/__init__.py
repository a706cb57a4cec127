"""Ingest: documents from files, folders, record formats and stdin, in chunks one process can read."""
