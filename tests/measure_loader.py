"""Prints how long loading and typing take, and how much memory, on hostile files at the size limit.

Run: `.venv/bin/python -m tests.measure_loader` (each case in its own process, so the peak
memory figure is that case's own). Figures, not assertions: see the team rules.
"""

import resource
import subprocess
import sys
import time

from generator.load import MAX_BYTES, LoadFailed, load_bytes
from generator.model import Topic, parse

M = MAX_BYTES - 16
CASES = {
 "deep-flow": lambda: b"a: " + b"[" * M,
 "deep-block": lambda: b"".join(b"  " * i + b"k:\n" for i in range(700))[:M],
 "many-keys": lambda: b"".join(b"k%d: v\n" % i for i in range(90000))[:M].rsplit(b"\n", 1)[0],
 "dup-keys": lambda: b"k: v\n" * (M // 5),
 "zero-width": lambda: ("a: " + "\u200b" * (M // 3 - 2)).encode(),
 "tabs": lambda: b"\tk: v\n" * (M // 6),
 "long-list": lambda: b"a:\n" + b"- x\n" * (M // 4 - 1),
 "comments-after": lambda: b"a:\n" + b"- x #c\n" * (M // 7 - 1),
 "flow-keys": lambda: b"{" + b"a: [b, {c: d}], " * (M // 16) + b"}",
 "long-string": lambda: b"a: " + b"x" * M,
}


def measure(name: str) -> None:
    raw = CASES[name]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        document = load_bytes(raw, "t.yaml")
        _, problems = parse(document, Topic)  # a loadable file goes on to the model
    except LoadFailed as failed:
        problems = failed.problems
    result = (f"{len(problems)} problem(s), first [{problems[0].code}]" if problems
              else "valid")
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{name:15} {len(raw):>7} B {elapsed:6.2f} s  peak {peak / 1024:6.1f} MB "
          f"(+{(peak - before) / 1024:.1f})  {result}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        measure(sys.argv[1])
    else:
        for case in CASES:
            subprocess.run([sys.executable, "-m", "tests.measure_loader", case], check=True)
