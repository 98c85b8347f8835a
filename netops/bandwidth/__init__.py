"""Bandwidth manager: the uplink -> group -> agency plan, HTB fair shares, usage against quota,
queue rendering/read-back/diff for MikroTik, Cisco IOS and Linux tc, enforcement with rollback,
audit, drift and boosts.

Pure modules (no I/O): ``plan``, ``boosts``, ``shares``, ``usage``, ``entries``, ``quoting``,
``render_*``, ``parse_*``, ``diff``.  I/O lives in ``enforce``, ``audit``, ``jobs``.
"""
