"""Athar: an open, verifiable investigation system for chemical-weapons allegations."""

__version__ = "0.1.0"

__all__ = ["__version__"]
