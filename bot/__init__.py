"""prodready: review pull requests for the ways code breaks in production."""

__version__ = "0.1.0"
