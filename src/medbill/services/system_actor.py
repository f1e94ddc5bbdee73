"""The actor for work done from the command line (`medbill demo`, `medbill fhir import`): a built-in,
inactive account that cannot sign in, so that the audit log names the CLI as who did it."""

import getpass
import secrets

from medbill.practice.accounts import Actor, Role
from medbill.practice.secrets import hash_password
from medbill.storage import Database
from medbill.storage.base import utcnow

CLI_USERNAME = "medbill-cli"


def cli_actor(database: Database, *, what: str) -> Actor:
    with database.unit_of_work() as uow:
        found = uow.users.by_username(CLI_USERNAME)
        if found is None:
            user = uow.users.add(
                CLI_USERNAME,
                "medbill command line",
                Role.ADMIN,
                hash_password(secrets.token_urlsafe(32)),
                at=utcnow(),
            )
            uow.users.set_active(user.id, False)
        else:
            user = found[0]
    try:
        who = getpass.getuser()
    except Exception:  # no login name in this environment
        who = "unknown"
    return Actor(user, client="cli", user_agent=f"medbill CLI ({who})", request=what)
