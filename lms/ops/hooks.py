"""Wire the operator features into the app: proxy headers, request logs and metrics, error reporting, routes."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.ops import errorreporting, metrics, requestlog


def register(app: Flask) -> None:
    """Everything an operator relies on, driven by configuration."""
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        # Only as many X-Forwarded-* values as there are proxies of ours are believed; without this
        # setting none are (a client could claim any address and escape the rate limits).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    metrics.register(app)
    requestlog.register(app)
    errorreporting.register(app)
    from lms.ops.views import blueprint

    app.register_blueprint(blueprint)
