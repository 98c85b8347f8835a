"""Links: utilization now and status of every planned link; one link's utilization and status
history (engineers and admins)."""

from webui.links.views import bp

__all__ = ["bp"]
