"""Background jobs (batch coding, ERA import) with progress the pages poll.

The job's state lives in the database (`jobs` table), whatever runs it: an RQ worker through Redis
when `MEDBILL_REDIS_URL` is set and answers (`medbill worker`; `medbill serve` starts one), else a
thread of the app process. Either way the work is `run_job(database_url, job_id)`.
"""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from medbill.core.errors import InputError
from medbill.practice.accounts import Actor, Job, JobStatus
from medbill.storage import Database, open_database
from medbill.storage.base import utcnow

log = logging.getLogger(__name__)
QUEUE_NAME = "medbill"
KINDS = ("code_encounters", "post_era")


class Runner(Protocol):
    backend: str

    def submit(self, database_url: str, job_id: int) -> None: ...


class ThreadRunner:
    """Runs jobs one at a time in a thread of this process."""

    backend = "thread"

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medbill-job")

    def submit(self, database_url: str, job_id: int) -> None:
        self._pool.submit(run_job, database_url, job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


class RqRunner:
    """Enqueues jobs on Redis for RQ workers (`medbill worker`)."""

    backend = "rq"

    def __init__(self, redis_url: str) -> None:
        import redis
        from rq import Queue

        self.connection = redis.Redis.from_url(redis_url, socket_timeout=5)
        self.connection.ping()
        self.queue = Queue(QUEUE_NAME, connection=self.connection)

    def submit(self, database_url: str, job_id: int) -> None:
        self.queue.enqueue("medbill.services.jobs.run_job", database_url, job_id, job_timeout=3600)


def make_runner(redis_url: str | None) -> Runner:
    if redis_url:
        try:
            return RqRunner(redis_url)
        except Exception as exc:  # configured but unreachable: run jobs in-process
            log.warning(
                "Redis at the configured URL does not answer (%s); jobs run in-process", type(exc).__name__
            )
    return ThreadRunner()


def submit(
    database: Database, runner: Runner, actor: Actor, kind: str, params: dict[str, Any], *, total: int
) -> Job:
    if kind not in KINDS:
        raise InputError(f"unknown job kind {kind!r} (one of {', '.join(KINDS)})")
    params = {**params, "user_id": actor.user.id, "client": actor.client}
    with database.unit_of_work() as uow:
        job = uow.jobs.add(kind, params, total=total, backend=runner.backend, by=actor.username, at=utcnow())
    runner.submit(database.engine.url.render_as_string(hide_password=False), job.id)
    return job


def get_job(database: Database, job_id: int) -> Job | None:
    with database.reader() as uow:
        return uow.jobs.get(job_id)


def recent_jobs(database: Database, *, by: str | None = None, limit: int = 20) -> list[Job]:
    with database.reader() as uow:
        return uow.jobs.recent(by=by, limit=limit)


_open_lock = threading.Lock()


def run_job(database_url: str, job_id: int) -> None:
    """Run one job to the end, recording progress, the result, or the failure."""
    database = open_database(database_url)
    try:
        _run(database, job_id)
    finally:
        database.close()


def _run(database: Database, job_id: int) -> None:
    with database.unit_of_work() as uow:
        job = uow.jobs.get(job_id)
        if job is None or job.status != JobStatus.QUEUED:
            return
        uow.jobs.update(job_id, status=JobStatus.RUNNING, started_at=utcnow(), message="running")
        user = uow.users.get(int(job.params["user_id"]))
    if user is None:
        _finish(database, job_id, JobStatus.FAILED, "the user who started it no longer exists", None)
        return
    actor = Actor(
        user, client=str(job.params.get("client", "")), user_agent="medbill job", request=f"job {job_id}"
    )

    def progress(done: int, total: int, message: str) -> None:
        with database.unit_of_work() as uow:
            uow.jobs.update(job_id, done=done, total=total, message=message[:500])

    try:
        result = _dispatch(database, actor, job, progress)
    except Exception as exc:
        log.warning("job %s (%s) failed: %s", job_id, job.kind, type(exc).__name__)
        _finish(database, job_id, JobStatus.FAILED, str(exc)[:500] or type(exc).__name__, None)
        return
    _finish(database, job_id, JobStatus.DONE, "done", result)


def _dispatch(
    database: Database, actor: Actor, job: Job, progress: Callable[[int, int, str], None]
) -> dict[str, Any]:
    if job.kind == "code_encounters":
        from medbill.services.encounters import code_many

        return code_many(database, actor, [int(i) for i in job.params["encounter_ids"]], progress)
    if job.kind == "post_era":
        from medbill.services.remits import post

        era = post(database, actor, int(job.params["era_id"]), progress=progress)
        return {"era_id": era.id, "status": era.status, "remittances": len(era.results)}
    raise InputError(f"unknown job kind {job.kind!r}")


def _finish(
    database: Database, job_id: int, status: JobStatus, message: str, result: dict[str, Any] | None
) -> None:
    with database.unit_of_work() as uow:
        uow.jobs.update(job_id, status=status, message=message, result=result, finished_at=utcnow())
