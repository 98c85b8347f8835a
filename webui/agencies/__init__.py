"""Agencies: the list (search, sort, paginate) and each agency's page."""

from webui.agencies.views import bp

__all__ = ["bp"]
