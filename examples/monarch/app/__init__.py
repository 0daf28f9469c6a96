"""Monarch web: a tiny HTTP service built on the Python standard library only."""

__all__ = ["__version__"]

# The version of this code base; the version of a *deployment* is APP_VERSION (see /version).
__version__ = "1.0.0"
