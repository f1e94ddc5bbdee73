"""Security primitives of the web layer: signed session cookies and the login rate limiter (Redis
when configured, else in-process). Password hashing and token digests are in `medbill.practice.secrets`.
"""

import threading
import time
from collections import deque
from typing import Protocol

from itsdangerous import BadSignature, URLSafeSerializer

from medbill.practice.secrets import digest


class CookieSigner:
    """Signs the session token carried in the cookie, so that a tampered cookie is refused before any lookup."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt="medbill-session")

    def sign(self, token: str) -> str:
        return self._serializer.dumps(token)

    def unsign(self, value: str) -> str | None:
        try:
            token = self._serializer.loads(value)
        except BadSignature:
            return None
        return token if isinstance(token, str) else None


class RateLimiter(Protocol):
    def blocked(self, key: str) -> bool: ...

    def failure(self, key: str) -> None: ...

    def reset(self, key: str) -> None: ...


class MemoryRateLimiter:
    """Failed attempts per key in a sliding window, kept in this process."""

    def __init__(self, attempts: int, window_seconds: int) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.attempts

    def failure(self, key: str) -> None:
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class RedisRateLimiter:
    """Failed attempts per key in a fixed window, shared by every app process through Redis."""

    def __init__(self, url: str, attempts: int, window_seconds: int) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2)
        self.attempts = attempts
        self.window = window_seconds

    def _key(self, key: str) -> str:
        return "medbill:login:" + digest(key)

    def blocked(self, key: str) -> bool:
        value = self.client.get(self._key(key))
        return value is not None and int(value) >= self.attempts

    def failure(self, key: str) -> None:
        name = self._key(key)
        pipe = self.client.pipeline()
        pipe.incr(name)
        pipe.expire(name, self.window, nx=True)
        pipe.execute()

    def reset(self, key: str) -> None:
        self.client.delete(self._key(key))


def make_rate_limiter(redis_url: str | None, attempts: int, window_seconds: int) -> RateLimiter:
    """Redis when a URL is configured and answers, else in-process."""
    if redis_url:
        try:
            limiter = RedisRateLimiter(redis_url, attempts, window_seconds)
            limiter.client.ping()
            return limiter
        except Exception:  # Redis configured but down: still limit, per process
            pass
    return MemoryRateLimiter(attempts, window_seconds)
