"""The ``phrasefinder`` command: parses arguments, calls the library, prints."""
