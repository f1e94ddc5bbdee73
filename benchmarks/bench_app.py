"""Load benchmark of the app: requests/s and latency (p50, p99) of the claim-check and code-search
endpoints (code search twice: ten type-ahead queries over and over, then distinct queries that no
answer cache can serve), measured by an asyncio + httpx load generator in a second process over loopback against
`medbill serve` (SQLite in a temporary MEDBILL_HOME, the demo practice loaded, the built knowledge base).

    .venv/bin/python benchmarks/bench_app.py [--seconds 20] [--concurrency 16]

Needs the knowledge base (`medbill data build`) and the data mirror (MEDBILL_DATA_MIRROR) for pricing.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SEARCHES = ["type 2 diabetes with chronic kidney disease", "copd exacerbation", "essential hypertension",
            "osteoarthritis right knee", "urinary tract infection", "atrial fibrillation", "lung malignant primary",
            "chf", "acute sinusitis", "low back pain"]
# distinct queries (never repeated within a run, so the server's answer cache never helps): a finding
# word with a site or qualifier word, 40 × 40 = 1,600 pairs
_FINDINGS = ["pain", "fracture", "infection", "ulcer", "cyst", "abscess", "neoplasm", "stenosis", "hemorrhage",
             "laceration", "contusion", "sprain", "burn", "inflammation", "obstruction", "hernia", "calculus",
             "deformity", "dislocation", "effusion", "edema", "atrophy", "necrosis", "fistula", "polyp",
             "hypertrophy", "prolapse", "rupture", "stricture", "thrombosis", "embolism", "aneurysm", "ischemia",
             "paralysis", "weakness", "spasm", "disorder", "injury", "malformation", "insufficiency"]
_SITES = ["knee", "hip", "shoulder", "elbow", "wrist", "ankle", "foot", "hand", "finger", "toe", "spine", "neck",
          "back", "chest", "abdomen", "pelvis", "kidney", "bladder", "liver", "lung", "heart", "brain", "eye", "ear",
          "skin", "breast", "colon", "stomach", "esophagus", "thyroid", "prostate", "uterus", "ovary", "artery",
          "vein", "nerve", "muscle", "tendon", "left", "right"]
DISTINCT = [f"{site} {finding}" for finding in _FINDINGS for site in _SITES]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _load(base: str, token: str, kind: str, target: str, seconds: float, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        async def worker(n: int) -> None:
            nonlocal errors
            i = n
            while time.perf_counter() < stop:
                start = time.perf_counter()
                if kind == "check":
                    response = await client.post(target)
                elif kind == "search_distinct":
                    response = await client.get("/api/codes/search", params={"q": DISTINCT[i % len(DISTINCT)], "limit": 10})
                else:
                    response = await client.get("/api/codes/search", params={"q": SEARCHES[i % len(SEARCHES)], "limit": 10})
                latencies.append(time.perf_counter() - start)
                errors += response.status_code >= 400
                i += concurrency
        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": errors,
        "rps": len(ordered) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
    }


def _load_process(queue: "multiprocessing.Queue[dict[str, float]]", *args: object) -> None:
    queue.put(asyncio.run(_load(*args)))  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    medbill = str(Path(sys.executable).with_name("medbill"))
    kb = os.environ.get("MEDBILL_KB") or str(Path(os.environ.get("MEDBILL_HOME", ".home")) / "kb.sqlite")
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, MEDBILL_HOME=home, MEDBILL_KB=kb, MEDBILL_COOKIE_SECURE="0")
        env.pop("MEDBILL_REDIS_URL", None)
        env.pop("MEDBILL_DATABASE_URL", None)
        subprocess.run([medbill, "demo", "--json"], env=env, check=True, capture_output=True)
        subprocess.run([medbill, "users", "add", "bench", "--role", "biller", "--password", "benchmark-pass"],
                       env=env, check=True, capture_output=True)
        token = subprocess.run([medbill, "users", "token", "bench"], env=env, check=True, capture_output=True,
                               text=True).stdout.strip()
        port = free_port()
        server = subprocess.Popen([medbill, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            claims = httpx.get(base + "/api/claims", headers={"Authorization": f"Bearer {token}"}).json()["items"]
            target = f"/api/claims/{claims[0]['claim_id']}/check"
            auth = {"Authorization": f"Bearer {token}"}
            results: dict[str, object] = {}
            began = time.perf_counter()  # the first requests load the scrubber's tables and the search index
            httpx.post(base + target, headers=auth, timeout=300)
            results["first_check_s"] = round(time.perf_counter() - began, 2)
            began = time.perf_counter()
            httpx.get(base + "/api/codes/search", params={"q": "diabetes"}, headers=auth, timeout=300)
            results["first_search_s"] = round(time.perf_counter() - began, 2)
            for kind in ("check", "search", "search_distinct"):
                queue: multiprocessing.Queue[dict[str, float]] = multiprocessing.Queue()
                process = multiprocessing.Process(target=_load_process,
                                                  args=(queue, base, token, kind, target, args.seconds, args.concurrency))
                process.start()
                results[kind] = queue.get()
                process.join()
        finally:
            server.terminate()
            server.wait(timeout=10)
    summary = {"concurrency": args.concurrency, "seconds": args.seconds, "distinct_queries": len(DISTINCT)}
    print(json.dumps({**summary, **results}, indent=2))


if __name__ == "__main__":
    main()
