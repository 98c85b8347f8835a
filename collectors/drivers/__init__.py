"""Platform drivers implementing :class:`collectors.base.Collector` over an open session."""
