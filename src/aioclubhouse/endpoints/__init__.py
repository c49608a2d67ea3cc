"""Endpoint groups, one module per area, and the registry that indexes them."""

from .registry import ENDPOINTS, Endpoint

__all__ = ["ENDPOINTS", "Endpoint"]
