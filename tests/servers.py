"""gunicorn for the tests that need a real server: started with portal/gunicorn.conf.py from the
checkout, waited for, and always stopped with its workers (its own process group)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")


@contextlib.contextmanager
def running_gunicorn(
    env: dict[str, str], *, log_path: Path, probe: str
) -> Iterator[subprocess.Popen]:
    """gunicorn with env (GUNICORN_BIND names its port), its output in log_path, once `probe`
    (a URL) answers; stopped (TERM, then KILL after 15 s) when the block ends."""
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(probe, process)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
