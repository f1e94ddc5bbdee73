"""The web pages: server-rendered Jinja2 templates with a little JavaScript (type-ahead code search,
job progress polling); every page works from the keyboard and every form carries a CSRF token."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).parent


def install(app: FastAPI) -> None:
    from medbill.web import pages

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages.install(app)
    app.include_router(pages.router)
