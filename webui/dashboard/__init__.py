"""The NOC dashboard: ``/dashboard/`` (server-rendered) refreshing itself from
``/dashboard/data.json`` without reloading the page (``static/js/dashboard.js``)."""

from webui.dashboard.views import bp

__all__ = ["bp"]
