"""What the benchmark scripts share: the machine's description, pinning to one core, and writing their section of RESULTS.md."""

from __future__ import annotations

import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def cpu() -> str:
    """The processor's model name."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> str:
    """One line on the machine and the interpreter, for a section's header."""
    return (f"{cpu()}, {os.cpu_count()} logical CPUs ({len(os.sched_getaffinity(0))} usable), {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()} ({platform.python_implementation()})")


def load_average() -> str:
    """The 1-minute load average, to say how busy the machine was."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def pin() -> int:
    """Run this process on one core (the last usable one) from now on; return it."""
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def record(heading: str, text: str, results: Path = RESULTS) -> None:
    """Replace the section that starts with ``heading`` by ``text`` (or append it), leaving every other section as it is.

    A section runs from its heading to the next ``## `` heading; ``text`` starts with ``heading``.
    """
    content = results.read_text(encoding="utf-8") if results.exists() else "# Performance results\n"
    if heading in content:
        start = content.index(heading)
        following = content.find("\n## ", start + len(heading))
        rest = content[following + 1:] if following != -1 else ""
        content = content[:start] + text.rstrip("\n") + ("\n\n" + rest if rest else "\n")
    else:
        content = content.rstrip("\n") + "\n\n" + text
    results.write_text(content, encoding="utf-8")
