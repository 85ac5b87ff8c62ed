"""Who holds an outbox lock: a process, named so that another process can tell it is gone.

A SENDING job records its owner: host name, process id and the process's start mark. On the
same host, the owner is dead when its pid no longer runs, runs as a zombie, or runs with
another start mark (the pid was reused). On another host (a profile on a shared disk) nothing
can be checked: the caller keeps the time-based rule there.

The start mark is ``<boot id>:<start time in clock ticks>`` from ``/proc`` on Linux (so a
reboot also kills every lock), else psutil's ``create_time`` when psutil is installed, else
``t<microseconds>`` taken when this module was first imported (the time the process first
opened its outbox): it cannot be checked from another process, so such an owner counts as
alive while its pid runs.
"""

from __future__ import annotations

import functools
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_IMPORTED_US = time.time_ns() // 1000
_PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class Owner:
    host: str
    pid: int
    start: str

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host}"


@functools.cache
def this_process() -> Owner:
    """The owner this process writes into the locks it takes."""
    pid = os.getpid()
    return Owner(host=socket.gethostname(), pid=pid, start=start_mark(pid) or f"t{_IMPORTED_US}")


def start_mark(pid: int) -> str | None:
    """The start mark of a running process, or None when it cannot be read (or is a zombie:
    a killed child its parent did not reap yet runs no code and holds no lock)."""
    linux = _linux_start(pid)
    if linux is not None:
        return linux or None
    try:
        import psutil  # optional, not a dependency
    except ImportError:
        return None
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return f"ps{process.create_time():.3f}"
    except psutil.Error:
        return None


def _linux_start(pid: int) -> str | None:
    """``boot:ticks`` from /proc; "" for a zombie or a vanished pid; None without /proc."""
    boot = _boot_id()
    if boot is None:
        return None
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()  # the command name may hold spaces and ')'
    if len(fields) < 20 or fields[0] in ("Z", "X"):
        return ""
    return f"{boot}:{fields[19]}"  # field 22 of proc_pid_stat(5): starttime


@functools.cache
def _boot_id() -> str | None:
    try:
        return (_PROC / "sys" / "kernel" / "random" / "boot_id").read_text().strip()
    except OSError:
        return None


def is_alive(owner: Owner) -> bool | None:
    """True or False for an owner on this host; None when it cannot be told (another host,
    or an owner of an older version that recorded no pid)."""
    me = this_process()
    if owner.pid <= 0 or owner.host != me.host:
        return None
    if owner.pid == me.pid:
        return owner.start == me.start
    if not _pid_exists(owner.pid):
        return False
    current = start_mark(owner.pid)
    if current is None:
        # On Linux that is a zombie or a pid gone meanwhile (dead); elsewhere a mark we cannot
        # read: the owner counts as alive while its pid runs.
        return _boot_id() is None
    if owner.start.startswith("t"):
        return True  # recorded without a checkable mark: the pid runs, assume it is that one
    return current == owner.start


def _pid_exists(pid: int) -> bool:
    if sys.platform == "win32":
        # os.kill(pid, 0) would terminate the process there: ask psutil, else assume it runs.
        try:
            import psutil
        except ImportError:
            return True
        return bool(psutil.pid_exists(pid))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OSError:
        return False
    return True

