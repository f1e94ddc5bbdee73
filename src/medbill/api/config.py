"""The app's own settings, read from the environment when the app is built (never at import time).

| variable | meaning | default |
|---|---|---|
| `MEDBILL_SECRET_KEY` | key that signs session cookies | generated once into `MEDBILL_HOME/secret_key` (mode 0600) |
| `MEDBILL_REDIS_URL` | Redis for the job queue (RQ) and the login rate limiter | none: in-process queue and limiter |
| `MEDBILL_COOKIE_SECURE` | `1` always mark cookies Secure, `0` never, `auto` unless plain HTTP on loopback | `auto` |
| `MEDBILL_SESSION_HOURS` | session lifetime | 8 |
| `MEDBILL_LOGIN_ATTEMPTS` | failed logins allowed per user and address per 15 minutes | 5 |
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from medbill.settings import Settings, get_settings


@dataclass(frozen=True, slots=True)
class AppConfig:
    settings: Settings
    secret_key: str
    redis_url: str | None
    cookie_secure: str
    session_hours: int
    login_attempts: int
    login_window_seconds: int = 15 * 60


def _secret_key(home: Path) -> str:
    env = os.environ.get("MEDBILL_SECRET_KEY")
    if env:
        return env
    path = home / "secret_key"
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    os.replace(temp, path)
    return key


def load_app_config(settings: Settings | None = None) -> AppConfig:
    settings = settings or get_settings()
    return AppConfig(
        settings=settings,
        secret_key=_secret_key(settings.home),
        redis_url=os.environ.get("MEDBILL_REDIS_URL") or None,
        cookie_secure=os.environ.get("MEDBILL_COOKIE_SECURE", "auto"),
        session_hours=int(os.environ.get("MEDBILL_SESSION_HOURS", "8")),
        login_attempts=int(os.environ.get("MEDBILL_LOGIN_ATTEMPTS", "5")),
    )
