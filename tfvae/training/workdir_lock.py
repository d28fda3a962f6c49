"""One trainer per workdir: an exclusive ``fcntl`` lock on ``<workdir>/.lock``.

The kernel releases the lock when its holder exits, however it exits (SIGKILL included),
so a lock file left by a dead process is taken over by the next run without any stale
check. The file records the holder (pid, host, start time, command line) so that a
refused second writer can say who holds the workdir. POSIX only (Linux, macOS).
"""
import fcntl
import json
import os
import socket
import sys
import time

LOCK_NAME = ".lock"


class WorkdirBusyError(RuntimeError):
  """Another live process is training in this workdir."""


def _holder_text(path: str) -> str:
  try:
    with open(path) as f:
      holder = json.load(f)
    return (f"pid {holder.get('pid')} on {holder.get('host')} since "
            f"{holder.get('started')} ({holder.get('command')})")
  except (OSError, ValueError):
    return "another process (its lock file is unreadable)"


class WorkdirLock:
  """``with WorkdirLock(workdir):`` holds the workdir for this process.

  Raises ``WorkdirBusyError`` naming the holder if another live process holds it.
  """

  def __init__(self, workdir: str):
    self.path = os.path.join(workdir, LOCK_NAME)
    self._fd = None

  def acquire(self) -> "WorkdirLock":
    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
      fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
      os.close(fd)
      raise WorkdirBusyError(
          f"workdir {os.path.dirname(self.path)} is in use by {_holder_text(self.path)}; "
          "wait for it to finish, stop it, or use another --workdir") from None
    holder = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
              "command": " ".join(sys.argv)[:500]}
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps(holder).encode())
    os.fsync(fd)
    self._fd = fd
    return self

  def release(self) -> None:
    if self._fd is None:
      return
    try:
      os.ftruncate(self._fd, 0)
      fcntl.flock(self._fd, fcntl.LOCK_UN)
    finally:
      os.close(self._fd)
      self._fd = None

  def __enter__(self):
    return self.acquire()

  def __exit__(self, *exc):
    self.release()
    return False
