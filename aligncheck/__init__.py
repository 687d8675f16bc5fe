"""aligncheck: check Dutch enforcement plans against the principles of an enforcement course."""

__version__ = "0.1.0"
