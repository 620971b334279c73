"""The REST API (FastAPI) over the knowledge base; ``create_app`` also mounts the web app."""

from diplograph.api.app import create_app

__all__ = ["create_app"]
