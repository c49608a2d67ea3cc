"""Endpoint groups, one module per area, and the registry that indexes them."""

from .registry import ENDPOINTS, ClubhouseEndpoint

__all__ = ["ENDPOINTS", "ClubhouseEndpoint"]
