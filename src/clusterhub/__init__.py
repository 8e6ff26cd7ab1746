"""Clusterhub: an open platform for cluster organisations."""

__version__ = "0.1.0"
