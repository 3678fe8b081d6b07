"""pii-audit: find and rank files that expose people's personal data."""

__version__ = "0.1.0"
