"""Text: bytes to text, normalization with offsets back to the source, page furniture, dates, fingerprints."""
