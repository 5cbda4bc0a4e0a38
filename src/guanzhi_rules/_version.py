"""The engine version, recorded in every determination's fingerprints."""

__version__ = "0.1.0"
