"""``netops web``: run the web UI with Flask's development server.

For production run it under gunicorn (docs/webui.md)::

    NETOPS_SECRET_KEY=... NETOPS_DATA_DIR=/var/lib/netops \\
        gunicorn -w 4 -b 127.0.0.1:8080 'webui:create_app()'

Exit codes: 0 stopped with Ctrl-C; 1 the app cannot start (no secret key, database); 2 usage.
"""

from __future__ import annotations

import click

from netops.settings import get_settings


@click.command()
@click.option("--host", default=None, help="Listen address (default: NETOPS_WEB_HOST, 127.0.0.1).")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port (default: NETOPS_WEB_PORT, 8080; 0 = a free one).",
)
@click.option(
    "--debug",
    is_flag=True,
    help="Flask's debugger and reloader (never in production, never on a shared address).",
)
def web(host: str | None, port: int | None, debug: bool) -> None:
    """Run the web UI (Flask's development server; gunicorn for production)."""
    from werkzeug.serving import make_server

    from webui import create_app

    settings = get_settings()
    app = create_app({"SETTINGS": settings})
    if debug:
        app.run(host or settings.web_host, settings.web_port if port is None else port, debug=True)
        return
    server = make_server(
        host or settings.web_host, settings.web_port if port is None else port, app, threaded=True
    )
    click.echo(f"netops web UI on http://{server.host}:{server.server_port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
