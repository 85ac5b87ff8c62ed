"""House rules a reviewer would otherwise check by hand: the lint set and the layer contracts
written in pyproject.toml (core is pure, channels and services know no Qt, the sandbox shares
nothing, ui/cli > services > channels/store > core), and no test that times anything (issue
#18): a duration measured on a shared CI machine is noise, so a test asserts behaviour (what
the servers saw, what was blocked, in which order) and bench/ prints the speed figures."""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TESTS = ROOT / "tests"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)


def test_layer_contracts_are_kept() -> None:
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_ruff_finds_nothing() -> None:
    result = _run(str(BIN / "ruff"), "check", "paris_desk", "tests", "bench", "packaging")
    assert result.returncode == 0, result.stdout[-3000:]


# -- no test times anything -------------------------------------------------------------------

TIMING_CALLS = frozenset({
    *(f"time.{name}{ns}" for name in ("time", "monotonic", "perf_counter", "process_time",
                                      "thread_time") for ns in ("", "_ns")),
    "timeit.timeit", "timeit.repeat", "timeit.default_timer",
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
})
TIMERS = ("QElapsedTimer",)  # objects that measure: whatever is read from one is a duration
NUMERIC = frozenset({"min", "max", "abs", "round", "float", "int", "sum", "sorted",
                     "statistics.mean", "statistics.median", "statistics.fmean", "math.fsum"})
CONSTANT_CALLS = frozenset({"datetime.timedelta", "pytest.approx"})
APPENDERS = frozenset({"append", "extend", "add", "insert", "appendleft"})

HANG_GUARDS: dict[tuple[str, str], str] = {
    # (file under tests/, function): why its comparison of a clock with a constant only stops
    # a wait that would otherwise never end. Keep it short: each entry needs a reason.
    ("reference/conftest.py", "_read_ready_line"):
        "gives up waiting for the reference PDS's ready line (START_TIMEOUT_S, 90 s)",
}


@dataclass
class _Env:
    """What one scope knows: names holding a timing, names holding only numeric constants."""

    timing: set[str] = field(default_factory=set)
    constants: set[str] = field(default_factory=set)


class TimingCheck:
    """Finds comparisons with a timing on one side and a numeric constant on the other.

    A timing is a clock read (``time.perf_counter()``, ``time.monotonic()``, ``time.time()``,
    ``datetime.now()``, timeit, a QElapsedTimer), arithmetic or min/max/sum over one, or a name
    assigned (appended, accumulated) from one, or what a function returning one returns. A
    constant is a number, arithmetic over numbers, a name only ever assigned one, or
    ``timedelta``/``pytest.approx`` of constants. So ``elapsed = time.perf_counter() - t0;
    assert elapsed < 2`` is found, and ``while time.monotonic() < deadline`` (a clock against
    a clock) is not.
    """

    def __init__(self, source: str) -> None:
        self.tree = ast.parse(source)
        self.aliases: dict[str, str] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    self.aliases[alias.asname or top] = alias.name if alias.asname else top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        self.timing_functions: set[str] = set()

    # -- expressions ---------------------------------------------------------------------------
    def dotted(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None

    def is_timing(self, node: ast.expr | None, env: _Env) -> bool:  # noqa: C901
        match node:
            case ast.Name(id=name):
                return name in env.timing
            case ast.Call(func=func, args=args, keywords=keywords):
                name = self.dotted(func)
                if name in TIMING_CALLS or (name or "").endswith(TIMERS):
                    return True
                if isinstance(func, ast.Name) and func.id in self.timing_functions:
                    return True
                if name in NUMERIC:
                    return any(self.is_timing(a, env) for a in args) or any(
                        self.is_timing(k.value, env) for k in keywords)
                return isinstance(func, ast.Attribute) and self.is_timing(func.value, env)
            case ast.BinOp(left=left, right=right):
                return self.is_timing(left, env) or self.is_timing(right, env)
            case ast.UnaryOp(operand=operand) | ast.Starred(value=operand) | ast.Await(
                    value=operand) | ast.NamedExpr(value=operand):
                return self.is_timing(operand, env)
            case ast.Subscript(value=value) | ast.Attribute(value=value):
                return self.is_timing(value, env)
            case ast.IfExp(body=body, orelse=orelse):
                return self.is_timing(body, env) or self.is_timing(orelse, env)
            case ast.List(elts=elts) | ast.Tuple(elts=elts) | ast.Set(elts=elts):
                return any(self.is_timing(e, env) for e in elts)
            case ast.ListComp(elt=elt, generators=gens) | ast.SetComp(
                    elt=elt, generators=gens) | ast.GeneratorExp(elt=elt, generators=gens):
                inner = _Env(set(env.timing), env.constants)
                for gen in gens:
                    if self.is_timing(gen.iter, inner):
                        inner.timing |= _names(gen.target)
                return self.is_timing(elt, inner)
        return False

    def is_constant(self, node: ast.expr | None, env: _Env) -> bool:
        match node:
            case ast.Constant(value=value):
                return isinstance(value, int | float) and not isinstance(value, bool)
            case ast.Name(id=name):
                return name in env.constants
            case ast.UnaryOp(operand=operand):
                return self.is_constant(operand, env)
            case ast.BinOp(left=left, right=right):
                return self.is_constant(left, env) and self.is_constant(right, env)
            case ast.Call(func=func, args=args, keywords=keywords):
                return self.dotted(func) in CONSTANT_CALLS and all(
                    self.is_constant(a, env) for a in args) and all(
                    self.is_constant(k.value, env) for k in keywords)
        return False

    # -- scopes --------------------------------------------------------------------------------
    def scopes(self) -> Iterator[tuple[str, ast.AST, list[ast.AST]]]:
        """(qualified name, node, nodes of its own body) of the module, classes and functions."""
        todo: list[tuple[str, ast.AST]] = [("<module>", self.tree)]
        while todo:
            name, scope = todo.pop()
            own: list[ast.AST] = []
            stack = list(ast.iter_child_nodes(scope))
            while stack:
                node = stack.pop()
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    prefix = "" if name == "<module>" else name + "."
                    todo.append((prefix + node.name, node))
                    stack.extend(node.decorator_list)
                    continue
                own.append(node)
                stack.extend(ast.iter_child_nodes(node))
            yield name, scope, own

    def environment(self, own: list[ast.AST], outer: _Env) -> _Env:
        env = _Env(set(outer.timing), set(outer.constants))
        pairs = [(n, t, v) for t, v in _assignments(own) for n, v in _unpack(t, v)]
        variable = {n for n, _, v in pairs if v is None} | {
            n for n, t, _ in pairs if not isinstance(t, ast.Name)}
        changed = True
        while changed:
            changed = False
            for name, target, value in pairs:
                if name not in env.timing and value is not None and self.is_timing(value, env):
                    env.timing.add(name)
                    changed = True
                if isinstance(target, ast.Name) and isinstance(value, ast.Lambda) and (
                        self.is_timing(value.body, env)):
                    self.timing_functions.add(name)
        for name, _, value in pairs:
            if name in variable or value is None or not self.is_constant(value, env):
                variable.add(name)
        env.constants = (env.constants | {n for n, _, _ in pairs}) - variable
        return env

    def offences(self) -> list[tuple[int, str]]:
        """(line, scope) of every comparison of a timing with a constant."""
        while True:  # a function returning a timing makes its callers' results timings
            known = set(self.timing_functions)
            found = self._walk()
            if self.timing_functions == known:
                return found

    def _walk(self) -> list[tuple[int, str]]:
        envs: dict[str, _Env] = {}
        found: list[tuple[int, str]] = []
        for name, scope, own in self.scopes():
            outer = envs.get(name.rpartition(".")[0] or "<module>", _Env())
            env = envs[name] = self.environment(own, outer if name != "<module>" else _Env())
            for node in own:
                if isinstance(node, ast.Return) and self.is_timing(node.value, env) and (
                        isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef)):
                    self.timing_functions.add(scope.name)
                if isinstance(node, ast.Compare):
                    sides = [node.left, *node.comparators]
                    if any((self.is_timing(a, env) and self.is_constant(b, env))
                           or (self.is_constant(a, env) and self.is_timing(b, env))
                           for a, b in itertools.pairwise(sides)):
                        found.append((node.lineno, name))
        return sorted(found)


def _assignments(own: list[ast.AST]) -> Iterator[tuple[ast.expr, ast.expr | None]]:
    """(target, value) of every binding in a scope; None: a value that is not known."""
    for node in own:
        match node:
            case ast.Assign(targets=targets, value=value):
                yield from ((t, value) for t in targets)
            case ast.AnnAssign(target=target, value=value) | ast.NamedExpr(
                    target=target, value=value):
                yield target, value
            case ast.AugAssign(target=target, value=value):
                yield target, ast.BinOp(target, node.op, value)
            case ast.For(target=target, iter=value) | ast.comprehension(
                    target=target, iter=value):
                yield target, ast.Subscript(value, ast.Constant(0))
            case ast.withitem(optional_vars=ast.expr() as target):
                yield target, None
            case ast.Call(func=ast.Attribute(value=receiver, attr=attr), args=args) if (
                    attr in APPENDERS):
                yield receiver, ast.List(list(args))  # durations.append(elapsed)


def _names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _unpack(target: ast.expr, value: ast.expr | None) -> Iterator[tuple[str, ast.expr | None]]:
    """(name, the value it gets) for each name bound by ``target = value``."""
    if isinstance(target, ast.Tuple | ast.List):
        if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts):
            for t, v in zip(target.elts, value.elts, strict=True):
                yield from _unpack(t, v)
            return
        for name in _names(target):
            yield name, value
        return
    while isinstance(target, ast.Subscript | ast.Attribute | ast.Starred):
        target = target.value  # d[k] = v, obj.attr = v: the container now holds v
    if isinstance(target, ast.Name):
        yield target.id, value


def timing_comparisons(source: str) -> list[tuple[int, str]]:
    return TimingCheck(source).offences()


def test_no_test_compares_a_clock_with_a_constant() -> None:
    found: dict[tuple[str, str], list[int]] = {}
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS).as_posix()
        for line, scope in timing_comparisons(path.read_text(encoding="utf-8")):
            found.setdefault((relative, scope), []).append(line)
    offences = [f"tests/{path}:{line} in {scope}" for (path, scope), lines in sorted(found.items())
                if (path, scope) not in HANG_GUARDS for line in lines]
    assert not offences, (
        "a test compares a measured duration with a constant: assert behaviour instead (what "
        "the sandbox saw, what was blocked, in which order) and print speed figures in bench/; "
        "a wait that only stops a hang goes in HANG_GUARDS with its reason:\n"
        + "\n".join(offences))
    stale = sorted(set(HANG_GUARDS) - set(found))
    assert not stale, f"HANG_GUARDS entries that guard nothing any more: {stale}"


OFFENDING = {
    "elapsed": """
        import time
        def test_fast():
            start = time.perf_counter()
            work()
            elapsed = time.perf_counter() - start
            assert elapsed < 2
        """,
    "inline": """
        import time
        started = time.monotonic()
        assert time.monotonic() - started < 0.5
        """,
    "reversed and chained": """
        from time import perf_counter as clock
        t0 = clock()
        quick = clock() - t0
        assert 0.25 > quick
        assert quick < 0.25 <= 0.3
        """,
    "named limit": """
        import time
        LIMIT_S = 3 * 0.3
        def test_parallel():
            started = time.monotonic()
            refresh()
            assert time.monotonic() - started < LIMIT_S
        """,
    "best of": """
        import time
        best = float("inf")
        for _ in range(10):
            started = time.perf_counter()
            merge()
            best = min(best, time.perf_counter() - started)
        assert best < 0.020
        """,
    "collected": """
        import time
        durations = []
        for _ in range(3):
            t = time.time()
            durations.append(time.time() - t)
        assert max(durations) <= 1
        """,
    "helper": """
        import time
        def timed(fn):
            started = time.perf_counter()
            fn()
            return time.perf_counter() - started
        def test():
            one = timed(lambda: None)
            assert one < 1.0
        """,
    "accumulated": """
        import time
        total = 0.0
        for job in jobs:
            t = time.monotonic()
            job()
            total += time.monotonic() - t
        assert total < 5
        """,
    "timedelta": """
        from datetime import UTC, datetime, timedelta
        assert datetime.now(UTC) - draft.updated_at < timedelta(minutes=1)
        """,
    "killed at": """
        import time
        killed_at = time.time()
        age = killed_at - typed_at[last]
        assert age <= 1.3, f"{age:.2f} s old"
        """,
    "QElapsedTimer": """
        from PySide6.QtCore import QElapsedTimer
        timer = QElapsedTimer()
        timer.start()
        assert timer.elapsed() < 100
        """,
}

ALLOWED = {
    "clock against a deadline": """
        import time
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ready():
            time.sleep(0.05)
        """,
    "no clock": """
        assert (gate.seen, gate.peak) == (4, 4)
        assert len(durations) < 3
        """,
    "order of two clocks": """
        import time
        asked_at = time.time()
        allowed = asked_at + 2
        assert posts[1].at >= allowed
        """,
    "against the knob": """
        import time
        start = time.perf_counter()
        call()
        assert time.perf_counter() - start >= server.latency_ms / 1000
        """,
    "counting, not timing": """
        import time
        started = time.monotonic()
        assert sum(1 for r in log if r.at > started) == 2
        """,
}


@pytest.mark.parametrize("name", sorted(OFFENDING))
def test_the_clock_check_finds_a_duration_compared_with_a_constant(name: str) -> None:
    assert timing_comparisons(textwrap.dedent(OFFENDING[name])), name


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_the_clock_check_lets_order_and_deadlines_be(name: str) -> None:
    assert timing_comparisons(textwrap.dedent(ALLOWED[name])) == [], name


def test_the_clock_check_names_the_function_a_hang_guard_is_allowed_in() -> None:
    source = textwrap.dedent("""
        import time
        def _read_ready_line(timeout):
            deadline = time.monotonic() + timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
        """)
    assert timing_comparisons(source) == [(7, "_read_ready_line")]
