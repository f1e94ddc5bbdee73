"""Who is looking at a page: the session cookie, the role check, the CSRF check on form posts.

Anonymous visitors are sent to the sign-in page; a signed-in user without the role gets a 403 page.
"""

from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from medbill.api.deps import SAFE_METHODS, actor_for, check_csrf, session_of
from medbill.practice.accounts import Actor, Permission, Role, SessionInfo, roles_with


class LoginRequired(Exception):
    """The page needs a signed-in user (answered with a redirect to /login)."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageForbidden(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Viewer:
    actor: Actor
    session: SessionInfo

    @property
    def user(self):  # type: ignore[no-untyped-def]
        return self.actor.user

    @property
    def csrf(self) -> str:
        return self.session.csrf_token

    def can(self, permission: str) -> bool:
        return self.actor.user.can(Permission(permission))


class PageAuth:
    """Dependency for pages: like `medbill.api.deps.Authorize`, for browsers."""

    def __init__(self, permission: Permission | None) -> None:
        self.permission = permission

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role) if self.permission is None else roles_with(self.permission)

    async def __call__(self, request: Request) -> Viewer:
        info = await run_in_threadpool(session_of, request)
        if info is None:
            raise LoginRequired(request.url.path)
        if request.method not in SAFE_METHODS:
            from medbill.api.problems import ApiProblem

            try:
                await check_csrf(request, info)
            except ApiProblem as exc:
                raise PageForbidden(exc.detail) from None
        if self.permission is not None and not info.user.can(self.permission):
            raise PageForbidden(f"the {info.user.role.value} role may not open this page")
        return Viewer(actor_for(request, info.user), info)
