"""The harness of `xuncha bench`: finds the benchmark modules in bench/, gives them the users to act as,
times what they ask and prints the figures. Benchmarks are functions ``run(ctx)`` in ``bench/bench_*.py``;
they measure the current database and print numbers (no pass/fail: they are not tests)."""

import importlib.util
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from xuncha.core.choices import Role
from xuncha.core.models import RoleAssignment, User
from xuncha.rounds.models import Inspection

BENCH_DIR = Path(settings.PROJECT_DIR) / "bench"


@dataclass
class Timing:
    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def timed(fn: Callable[[], Any], *, repeat: int, warmup: int = 2) -> Timing:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return Timing(samples)


@dataclass
class Context:
    """What a benchmark gets: the personas to act as, how often to repeat, and where to print."""

    users: dict[str, User]
    repeat: int
    write: Callable[[str], None]
    module: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)  # what ``xuncha bench --json`` writes

    def latency(self, name: str, timing: Timing, note: str = "") -> None:
        n = len(timing.samples)
        self.write(f"  {name:<54} p50 {timing.p50:8.2f} ms   p95 {timing.p95:8.2f} ms   n={n}{note}")
        result = {"module": self.module, "name": name, "p50_ms": timing.p50, "p95_ms": timing.p95, "n": n}
        self.results.append(result)

    def record(self, name: str, timing: Timing, **figures: Any) -> None:
        """Add figures (query count, raw-SQL baseline, ratio) to the result of ``name`` already printed."""
        for result in reversed(self.results):
            if result["name"] == name:
                result.update(figures)
                return

    def rate(self, name: str, count: int, seconds: float, unit: str) -> None:
        per_second = count / seconds if seconds else float("inf")
        per_thousand = seconds / count * 1000 if count else 0.0
        self.write(
            f"  {name:<54} {per_second:10.0f} {unit}/s   {per_thousand:8.3f} s per 1000 {unit}   n={count}"
        )


def _busiest(role: str) -> User | None:
    """The active user holding ``role`` who sees the most inspections: the heaviest page to render."""
    user_ids = (
        RoleAssignment.objects.in_force()
        .filter(role=role, user__is_active=True)
        .values_list("user_id", flat=True)
    )
    best: tuple[int, User] | None = None
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):  # a tie: the first made, every run
        seen = Inspection.objects.visible_to(user).count()
        if best is None or seen > best[0]:
            best = (seen, user)
    return best[1] if best else None


def personas() -> dict[str, User]:
    found = {"office": _busiest(Role.OFFICE), "team_member": _busiest(Role.TEAM_MEMBER)}
    return {name: user for name, user in found.items() if user is not None}


def modules(bench_dir: Path = BENCH_DIR) -> list[tuple[str, Callable[[Context], None]]]:
    found = []
    for path in sorted(bench_dir.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(f"xuncha_bench.{path.stem}", path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.append((path.stem, module.run))
    return found
