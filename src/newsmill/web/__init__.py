"""The web application and REST API over a newsmill database (``newsmill serve``)."""

from newsmill.web.app import create_app, serve

__all__ = ["create_app", "serve"]
