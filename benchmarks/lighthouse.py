"""Lighthouse (mobile, performance and accessibility) on every page type, median of 3 runs.

    make lighthouse
    .venv/bin/python -m benchmarks.lighthouse --topics 1000   # on a synthetic library

Builds the site (the real content, or N synthetic topics), serves it on loopback under its
sub-path, and runs the pinned Lighthouse through `npx` with the system Chromium (CHROME_PATH,
else the browser the tests use) in headless mode. Lighthouse's default is a phone: Moto G
Power screen, 4x slower CPU and slow 4G, simulated. Needs Node.js 18 or newer; npx downloads
Lighthouse on first use. Writes benchmarks/LIGHTHOUSE.md; the raw JSON reports go to
benchmarks/raw/ (not committed).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.benchmark import machine, page_urls
from benchmarks.measure import SUB_PATH, serving
from benchmarks.synthetic import ROOT, make_project

LIGHTHOUSE = "lighthouse@12.8.2"  # 13.x needs Node.js 22
REPORT = ROOT / "benchmarks" / "LIGHTHOUSE.md"
RAW = ROOT / "benchmarks" / "raw"
METRICS = (("largest-contentful-paint", "LCP s", 1000), ("total-blocking-time", "TBT ms", 1),
           ("cumulative-layout-shift", "CLS", 1), ("first-contentful-paint", "FCP s", 1000),
           ("speed-index", "Speed index s", 1000))


def page_types(project: Path) -> dict[str, str]:
    return {**page_urls(project), "about (hand-written)": "about/", "404": "404.html"}


def lighthouse(url: str, output: Path, chrome: str, cpu_slowdown: float) -> dict:
    command = ["npx", "--yes", LIGHTHOUSE, url, "--output=json", f"--output-path={output}",
               "--only-categories=performance,accessibility", "--quiet",
               f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome},
                   stdout=subprocess.DEVNULL)
    result = json.loads(output.read_text(encoding="utf-8"))
    audits = result["audits"]
    return {
        "benchmark_index": result["environment"]["benchmarkIndex"],
        "performance": round(result["categories"]["performance"]["score"] * 100),
        "accessibility": round(result["categories"]["accessibility"]["score"] * 100),
        **{label: audits[audit]["numericValue"] / scale for audit, label, scale in METRICS},
        "failing": sorted(
            audit_id for audit_id, audit in audits.items()
            if audit.get("score") is not None and audit["score"] < 1
            and audit_id in _accessibility_audits(result)),
    }


def _benchmark_indexes(rows: dict[str, list[dict]]) -> str:
    values = [run["benchmark_index"] for runs in rows.values() for run in runs]
    return f"median {statistics.median(values):.0f}, {min(values):.0f} to {max(values):.0f}"


def _accessibility_audits(result: dict) -> set[str]:
    return {ref["id"] for ref in result["categories"]["accessibility"]["auditRefs"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=0,
                        help="build N synthetic topics instead of the real content")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu-slowdown", type=float, default=4,
                        help="Lighthouse's CPU slowdown (4, its default, assumes a fast desktop; "
                        "its docs suggest less on a slower machine, see benchmarkIndex)")
    parser.add_argument("--report", default=str(REPORT), help="report file, or - for none")
    args = parser.parse_args(argv)

    from tests.browser import executable

    chrome = os.environ.get("CHROME_PATH") or executable()
    if not chrome or not shutil.which("npx"):
        raise SystemExit("needs npx (Node.js) and a Chromium (set CHROME_PATH)")
    work = Path(tempfile.mkdtemp(prefix="patient-site-lighthouse-"))
    RAW.mkdir(exist_ok=True)
    try:
        project = make_project(work / "project", args.topics) if args.topics else ROOT
        site = work / "site" / SUB_PATH
        env = {**os.environ, "SITE_URL": f"http://127.0.0.1:8000/{SUB_PATH}/"}
        subprocess.run([sys.executable, "-m", "generator", "build", "--config",
                        str(project / "mkdocs.yml"), "--site-dir", str(site)],
                       cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)
        rows = {}
        with serving(work / "site") as base:
            for kind, url in page_types(project).items():
                runs = []
                for run in range(args.runs):
                    name = f"{kind.split()[0]}-{run + 1}.json"
                    runs.append(lighthouse(base + url, RAW / name, chrome, args.cpu_slowdown))
                    print(f"{kind} run {run + 1}: performance {runs[-1]['performance']}, "
                          f"accessibility {runs[-1]['accessibility']}", flush=True)
                rows[kind] = runs
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(rows, args)
    print(text)
    if args.report != "-":
        Path(args.report).write_text(text, encoding="utf-8")
    return 0


def report(rows: dict[str, list[dict]], args) -> str:
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    library = f"{args.topics} synthetic topics" if args.topics else "the real content"
    lines = [
        "# Lighthouse report",
        "",
        f"Date: {date}. Machine: {machine()}. Load average: "
        f"{', '.join(f'{v:.1f}' for v in os.getloadavg())}.",
        "",
        f"Made by `make lighthouse` (`benchmarks/lighthouse.py`, {LIGHTHOUSE}, mobile: "
        f"simulated slow 4G, CPU slowdown {args.cpu_slowdown:g}x) on {library}, served locally. "
        f"Each figure is the median of {args.runs} runs. Lighthouse's benchmarkIndex of this "
        f"machine during the runs (its CPU speed; the 4x default assumes a desktop of about "
        f"1,000 or more): {_benchmark_indexes(rows)}.",
        "",
        "| page | performance | accessibility | " + " | ".join(m[1] for m in METRICS) + " |",
        "| --- | ---: | ---: | " + " | ".join("---:" for _ in METRICS) + " |",
    ]
    for kind, runs in rows.items():
        cells = [f"{statistics.median(r['performance'] for r in runs):.0f}",
                 f"{statistics.median(r['accessibility'] for r in runs):.0f}"]
        for _, label, _ in METRICS:
            value = statistics.median(r[label] for r in runs)
            cells.append(f"{value:.3f}" if label == "CLS" else
                         f"{value:.0f}" if label.endswith("ms") else f"{value:.2f}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    failing = {kind: sorted({a for r in runs for a in r["failing"]}) for kind, runs in rows.items()}
    lines += ["", "Accessibility audits not passed in any run: "
              + ("; ".join(f"{kind}: {', '.join(ids)}" for kind, ids in failing.items() if ids)
                 or "none") + "."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
