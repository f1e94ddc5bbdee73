"""The app factory: `create_app()` builds the FastAPI app (API under `/api`, web pages at `/`).

    from medbill.api.app import create_app
    app = create_app()                       # MEDBILL_DATABASE_URL or the SQLite file in MEDBILL_HOME
    app = create_app("postgresql://...", migrate=True)

OpenAPI at `/api/openapi.json`. Errors are problem+json.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from medbill import __version__ as version
from medbill.api import problems
from medbill.api.config import AppConfig, load_app_config
from medbill.api.deps import AppState
from medbill.api.routers import auth, money, practice, system, work
from medbill.api.security import CookieSigner, make_rate_limiter
from medbill.services.jobs import ThreadRunner, make_runner
from medbill.storage import open_database

log = logging.getLogger("medbill.api")

DESCRIPTION = """medbill's API for coders, billers and integrators.

Authenticate with the session cookie (`POST /api/auth/login`; changes then need the `X-CSRF-Token`
header with the token it answers) or with a per-user API token (`Authorization: Bearer mbt_...`,
created with `POST /api/auth/tokens`). Every route checks the caller's role. Every read and write of
patient data is recorded in the audit log. Errors are RFC 9457 problem details.
"""


def create_app(
    database_url: str | None = None, *, migrate: bool = False, config: AppConfig | None = None
) -> FastAPI:
    config = config or load_app_config()
    database = open_database(database_url, require_current=not migrate)
    if migrate:
        database.upgrade()
    runner = make_runner(config.redis_url)
    app_state = AppState(
        database=database,
        config=config,
        signer=CookieSigner(config.secret_key),
        limiter=make_rate_limiter(config.redis_url, config.login_attempts, config.login_window_seconds),
        runner=runner,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if isinstance(runner, ThreadRunner):
            runner.shutdown()
        database.close()

    app = FastAPI(
        title="medbill",
        version=version,
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.medbill = app_state
    problems.install(app)
    for module in (system, auth, practice, work, money):
        app.include_router(module.router, prefix="/api")

    from medbill.web import install as install_web

    install_web(app)
    return app
