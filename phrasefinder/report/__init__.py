"""Report: hits into tables, charts and static pages."""
