"""Benchmark: build N synthetic topics with our generator and with plain Material, and compare.

    make benchmark                                   # N = 1, 10, 100, 1000; writes REPORT.md
    .venv/bin/python -m benchmarks.benchmark --sizes 1 10 --runs 1 --report -   # a quick look

For each N it makes a temporary copy of the project whose content holds N topics derived from
the real ones (see synthetic.py), and a plain Material project (default theme settings, no
custom templates, fonts off as on our site) holding the same pages as Markdown. It prints and
reports: build time (median of the runs), CPU time, peak memory, HTML bytes per page, search
index bytes, first-visit gzip bytes of a topic page, a self-check page, the home page and the
A to Z (what headless Chromium really fetches), and the time `check` takes. With N = 100 in
the sizes, it also times the live preview: from saving a topic file to the page in the
browser showing the change.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import metadata
from pathlib import Path

from benchmarks.measure import SUB_PATH, file_gzip, first_visit, free_port, run_timed, serving
from benchmarks.synthetic import ROOT, make_project

REPORT = ROOT / "benchmarks" / "REPORT.md"
SITE_URL = f"http://127.0.0.1:8000/{SUB_PATH}/"
PLAIN_CONFIG = """\
site_name: Health guides
site_url: {site_url}
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - md_in_html
  - toc
"""
PAGE_KINDS = ("topic", "self-check", "home", "a-z")


def plain_project(project: Path, destination: Path) -> Path:
    """Plain Material on the same pages: our generated Markdown plus the hand-written pages."""
    from generator.content import read_library
    from generator.plan import plan_site
    from generator.render import render_site

    docs = destination / "docs"
    shutil.copytree(project / "site_src", docs)
    for page in render_site(plan_site(read_library(project / "content", project))).pages:
        target = docs / page.page.source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    (destination / "mkdocs.yml").write_text(PLAIN_CONFIG.format(site_url=SITE_URL))
    return destination


def page_urls(project: Path) -> dict[str, str]:
    """Site-relative URLs of the first page of each kind, from the site plan."""
    from generator.content import read_library
    from generator.plan import plan_site

    plan = plan_site(read_library(project / "content", project))
    return {name: plan.of_kind(kind)[0].url for name, kind in (
        ("topic", "article"), ("self-check", "self-check"), ("home", "home"), ("a-z", "a-z"))}


def site_sizes(site: Path) -> dict:
    pages = [path for path in site.rglob("*.html")]
    index = site / "search" / "search_index.json"
    return {"pages": len(pages),
            "html_per_page": sum(path.stat().st_size for path in pages) / len(pages),
            "search_index": index.stat().st_size if index.exists() else 0}


def build_both(size: int, work: Path, runs: int, budget: float, env: dict) -> dict:
    """Build our site and the plain one `runs` times each; keep the last of each to measure."""
    project = make_project(work / f"ours-{size}", size)
    plain = plain_project(project, work / f"plain-{size}")
    python = sys.executable
    commands = {
        "ours": ([python, "-m", "generator", "build", "--config", "mkdocs.yml", "--site-dir",
                  str(work / f"site-ours-{size}" / SUB_PATH)], project),
        "plain": ([python, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d",
                   str(work / f"site-plain-{size}" / SUB_PATH)], plain),
    }
    results: dict[str, list[dict]] = {"ours": [], "plain": []}
    for run in range(runs):
        for name, (command, cwd) in commands.items():
            if run and results[name][0]["seconds"] > budget:
                continue  # one run is all this size can afford
            cold = {**env, "PATIENT_SITE_CACHE": str(work / f"cache-{size}-{run}")}
            results[name].append(run_timed(command, cwd, cold, work / f"{name}-{size}.log"))
            print(f"  N={size} {name} run {run + 1}: {results[name][-1]['seconds']:.2f} s",
                  flush=True)
    checks: dict[str, list[dict]] = {"cold": [], "warm": []}
    for run in range(runs):
        cache = {**env, "PATIENT_SITE_CACHE": str(work / f"check-cache-{size}-{run}")}
        for state in ("cold", "warm"):  # the second check finds the first one's results
            checks[state].append(run_timed(
                [python, "-m", "generator", "check", "--content", "content"], project, cache,
                work / f"check-{size}.log"))
    summary = {"size": size, **{f"check_{state}_{key}": _median(checks[state], key)
                                for state in checks for key in ("seconds", "cpu")}}
    for name in commands:
        site = work / f"site-{name}-{size}" / SUB_PATH
        summary[name] = {"runs": len(results[name]),
                         "seconds": _median(results[name], "seconds"),
                         "cpu": _median(results[name], "cpu"),
                         "peak_mib": max(run["peak_mib"] for run in results[name]),
                         **site_sizes(site)}
    summary["urls"] = page_urls(project)
    return summary


def real_site(work: Path, runs: int, env: dict) -> dict:
    """The real content built by ours and by plain Material (and both on ProperDocs), the
    builds interleaved run by run, so that other work on the machine falls on all alike.

    "Ours" keeps its cache between builds, as on an editor's machine (one untimed build fills
    it); "ours, cold" starts every build with an empty cache, as on a new machine or in CI.
    """
    project = work / "real"
    for name in ("site_src", "overrides", "content"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    plain = plain_project(project, work / "real-plain")
    python = sys.executable
    warm = {**env, "PATIENT_SITE_CACHE": str(work / "real-cache")}

    def ours(extra: dict) -> tuple[list[str], Path, dict]:
        return ([python, "-m", "generator", "build", "--site-dir", str(work / "real-site")],
                project, {**warm, **extra})

    variants = {
        "ours": ours({}),
        "ours, cold": ours({}),
        "plain": ([python, "-m", "mkdocs", "build", "-q", "-d", str(work / "real-plain-site")],
                  plain, env),
        "ours on ProperDocs": ours({"SITE_ENGINE": "properdocs"}),
        "plain ProperDocs": ([python, "-m", "properdocs", "build", "-q", "-d",
                              str(work / "real-plain-site")], plain, env),
    }
    for command, cwd, variant_env in (variants["ours"], variants["ours on ProperDocs"]):
        run_timed(command, cwd, variant_env, work / "real.log")  # fills the cache
    timings: dict[str, list[dict]] = {name: [] for name in variants}
    for run in range(runs):
        for name, (command, cwd, variant_env) in variants.items():
            if name == "ours, cold":
                variant_env = {**variant_env, "PATIENT_SITE_CACHE": str(work / f"cold-{run}")}
            timings[name].append(run_timed(command, cwd, variant_env, work / "real.log"))
        print(f"  real site run {run + 1}: " + ", ".join(
            f"{name} {timings[name][-1]['cpu']:.2f} s CPU" for name in variants), flush=True)
    pages = sum(1 for _ in (work / "real-site").rglob("*.html"))
    return {"runs": runs, "pages": pages, "builds": {
        name: {key: _median(found, key) for key in ("seconds", "cpu", "peak_mib")}
        for name, found in timings.items()}}


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def measure_pages(summary: dict, work: Path, browser) -> None:
    """First-visit bytes of each page kind, on both sites, plus our own assets' gzip size."""
    size = summary["size"]
    for name in ("ours", "plain"):
        root = work / f"site-{name}-{size}"
        with serving(root) as base:
            summary[name]["first_visit"] = {
                kind: first_visit(browser, base + url) for kind, url in summary["urls"].items()}
    assets = work / f"site-ours-{size}" / SUB_PATH / "assets"
    summary["ours"]["own_assets"] = {
        "self-check.js": file_gzip(assets / "javascripts" / "self-check.js"),
        "search-on-demand.js": file_gzip(assets / "javascripts" / "search-on-demand.js"),
        "site.css": file_gzip(assets / "stylesheets" / "site.css"),
    }


def live_preview(size: int, work: Path, browser, env: dict, repeats: int = 5) -> dict:
    """Seconds from saving a topic file to the open page showing the change, under `serve`."""
    project = make_project(work / f"preview-{size}", size)
    port = free_port()
    env = {**env, "SITE_URL": f"http://127.0.0.1:{port}/{SUB_PATH}/",
           "PATIENT_SITE_CACHE": str(work / f"preview-cache-{size}")}
    base = env["SITE_URL"]
    log = (work / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    timings: list[float] = []
    correct = True
    try:
        _wait_for(base, server)
        url = base + page_urls(project)["topic"]
        topic_file = project / "content" / "topics" / f"{url.rstrip('/').rsplit('/', 1)[1]}.yaml"
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)  # the preview's reload script keeps a request open: no network idle
        first = topic_file.read_text(encoding="utf-8")
        original = first.split("\ntitle:", 1)[1].split("\n", 1)[0].strip()
        for attempt in range(repeats):
            page.wait_for_timeout(1500)  # let the watcher settle after the last rebuild
            # One marker at a time: titles stay short enough for the heading check.
            marker = f"edited {attempt + 1}"
            text = topic_file.read_text(encoding="utf-8")
            title = text.split("\ntitle:", 1)[1].split("\n", 1)[0].strip()
            started = time.perf_counter()
            topic_file.write_text(text.replace(f"\ntitle: {title}\n",
                                               f"\ntitle: {original} {marker}\n", 1),
                                  encoding="utf-8")
            while not _shows(page, marker):
                if time.perf_counter() - started > 120:
                    raise SystemExit("the preview did not show the change within 2 minutes")
                time.sleep(0.02)
            timings.append(time.perf_counter() - started)
            print(f"  preview N={size} edit {attempt + 1}: {timings[-1]:.2f} s", flush=True)
            correct = correct and _navigation_and_search_agree(base, marker, size)
        context.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return {"size": size, "seconds": statistics.median(timings), "all": timings,
            "navigation_and_search_correct": correct}


def _wait_for(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the preview server stopped; see serve.log")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the preview server did not start")


def _shows(page, marker: str) -> bool:
    try:
        return marker in (page.evaluate("document.querySelector('h1')?.textContent || ''"))
    except Exception:  # the page is reloading
        return False


def _navigation_and_search_agree(base: str, marker: str, size: int) -> bool:
    """After a save, the home page and the search index list the new title and every topic."""
    with urllib.request.urlopen(base) as response:
        home = response.read().decode()
    with urllib.request.urlopen(base + "search/search_index.json") as response:
        index = json.load(response)
    titled = [doc for doc in index["docs"] if marker in doc["title"]]
    topics = {doc["location"].split("/")[1] for doc in index["docs"]
              if doc["location"].startswith("topics/")}
    return marker in home and bool(titled) and len(topics) == size


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, MkDocs "
            f"{metadata.version('mkdocs')}, Material {metadata.version('mkdocs-material')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--runs", type=int, default=3, help="builds per size (median)")
    parser.add_argument("--real-runs", type=int, default=5,
                        help="builds of the real site by each engine (median)")
    parser.add_argument("--budget", type=float, default=90.0,
                        help="a build slower than this many seconds is run once only")
    parser.add_argument("--report", default=str(REPORT), help="report file, or - for none")
    parser.add_argument("--json", default=None, help="also write the raw figures here")
    args = parser.parse_args(argv)

    from tests.browser import launch

    env = {**os.environ, "SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1"}
    started = datetime.datetime.now(datetime.UTC)
    load = os.getloadavg()
    results: dict = {"date": started.strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                     "load": load, "runs": args.runs, "sizes": []}
    playwright, browser = launch()
    work = Path(tempfile.mkdtemp(prefix="patient-site-benchmark-"))
    try:
        for size in args.sizes:
            print(f"N = {size}", flush=True)
            summary = build_both(size, work, args.runs, args.budget, env)
            measure_pages(summary, work, browser)
            results["sizes"].append(summary)
            shutil.rmtree(work / f"plain-{size}", ignore_errors=True)
        print("Real site", flush=True)
        results["real"] = real_site(work, args.real_runs, env)
        results["previews"] = [live_preview(size, work, browser, env)
                               for size in (1, 100) if size in args.sizes]
    finally:
        browser.close()
        playwright.stop()
        shutil.rmtree(work, ignore_errors=True)
    text = report(results)
    print(text)
    if args.report != "-":
        Path(args.report).write_text(text, encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


def _kib(value: float) -> str:
    return f"{value / 1024:.1f}"


def report(results: dict) -> str:
    sizes = results["sizes"]
    by_size = {summary["size"]: summary for summary in sizes}
    lines = [
        "# Benchmark report",
        "",
        f"Date: {results['date']}. Machine: {results['machine']}. Load average at start "
        f"(other work on the machine): {', '.join(f'{v:.1f}' for v in results['load'])}.",
        "",
        "Made by `make benchmark` (`benchmarks/benchmark.py`). N synthetic topics are derived "
        "from the real topic files, each with its own ids and words; every topic has an "
        "article and its self-checks, so the site has about 3 N + 6 pages. \"Plain\" is "
        "Material for MkDocs with default settings (fonts off) on the same pages as Markdown. "
        f"Times are medians of up to {results['runs']} runs (the runs column; a build slower "
        "than the budget is run once) of the whole command: ours is `python -m generator "
        "build` (check, build, audit, swap), plain is `mkdocs build`.",
        "",
        *_goals(results),
        *(_real_site(results["real"]) if "real" in results else []),
        "## Build (each build with an empty cache)",
        "",
        "| N | pages | ours s (runs) | plain s (runs) | ours / plain | ours CPU s | plain CPU s "
        "| ours peak MiB | plain peak MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        ours, plain = s["ours"], s["plain"]
        lines.append(
            f"| {s['size']} | {ours['pages']} | {ours['seconds']:.2f} ({ours['runs']}) | "
            f"{plain['seconds']:.2f} ({plain['runs']}) | {ours['seconds'] / plain['seconds']:.2f} "
            f"| {ours['cpu']:.2f} | {plain['cpu']:.2f} | {ours['peak_mib']:.0f} | "
            f"{plain['peak_mib']:.0f} |")
    growth = []
    for low, high in ((1, 10), (10, 100), (100, 1000)):
        if low in by_size and high in by_size:
            ratio = {(name, key): by_size[high][name][key] / by_size[low][name][key]
                     for name in ("ours", "plain") for key in ("seconds", "cpu")}
            growth.append(f"T({high})/T({low}): ours {ratio['ours', 'seconds']:.1f} (CPU "
                          f"{ratio['ours', 'cpu']:.1f}), plain {ratio['plain', 'seconds']:.1f} "
                          f"(CPU {ratio['plain', 'cpu']:.1f})")
    lines += ["", "Growth: " + "; ".join(growth) + "." if growth else "", ""]
    lines += [
        "## Size",
        "",
        "| N | ours HTML bytes/page | plain HTML bytes/page | ours search index bytes | "
        "plain search index bytes |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        lines.append(f"| {s['size']} | {s['ours']['html_per_page']:,.0f} | "
                     f"{s['plain']['html_per_page']:,.0f} | {s['ours']['search_index']:,} | "
                     f"{s['plain']['search_index']:,} |")
    lines += [
        "",
        "## First visit (KiB gzip, everything Chromium fetched with an empty cache)",
        "",
        "Ours split as page HTML + theme assets + our assets + search index; requests in "
        "brackets.",
        "",
        "| N | page | ours total | ours: page + theme + ours + index | plain total | "
        "plain: page + theme + index | ours / plain |",
        "| ---: | --- | ---: | --- | ---: | --- | ---: |",
    ]
    for s in sizes:
        for kind in PAGE_KINDS:
            ours, plain = s["ours"]["first_visit"][kind], s["plain"]["first_visit"][kind]
            lines.append(
                f"| {s['size']} | {kind} | {_kib(ours['total'])} ({ours['requests']}) | "
                f"{_kib(ours['page'])} + {_kib(ours['theme'])} + {_kib(ours['ours'])} + "
                f"{_kib(ours['search index'])} | {_kib(plain['total'])} ({plain['requests']}) | "
                f"{_kib(plain['page'])} + {_kib(plain['theme'])} + "
                f"{_kib(plain['search index'])} | {ours['total'] / plain['total']:.2f} |")
    if 1 in by_size and 1000 in by_size:
        for kind in ("topic", "self-check"):
            low = by_size[1]["ours"]["first_visit"][kind]["total"]
            high = by_size[1000]["ours"]["first_visit"][kind]["total"]
            plain_low = by_size[1]["plain"]["first_visit"][kind]["total"]
            plain_high = by_size[1000]["plain"]["first_visit"][kind]["total"]
            lines.append("")
            lines.append(f"First visit to a {kind} page, N = 1000 vs N = 1: ours "
                         f"{high / low:.3f}×, plain {plain_high / plain_low:.2f}×.")
    last = sizes[-1]["ours"]
    assets = last["own_assets"]
    lines += [
        "",
        f"Our own assets, gzip: self-check.js {assets['self-check.js']:,} B + site.css "
        f"{assets['site.css']:,} B = {_kib(assets['self-check.js'] + assets['site.css'])} KiB "
        f"for the self-check; search-on-demand.js {assets['search-on-demand.js']:,} B on every "
        "page.",
        "",
        "Failed requests (other hosts, none expected): "
        + (", ".join(sorted({url for s in sizes for name in ("ours", "plain")
                             for kind in PAGE_KINDS
                             for url in s[name]["first_visit"][kind]["failed"]})) or "none")
        + ".",
        "",
        "## Checking the content (`python -m generator check`, whole command)",
        "",
        "Cold: an empty cache (a new machine, CI, or the first check after the tool's code, "
        "the site settings or the glossary changed). Warm: the check after that, which reads "
        "each topic's results from the cache by the hash of its file.",
        "",
        "| N | cold s | cold CPU s | warm s | warm CPU s |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        lines.append(f"| {s['size']} | {s['check_cold_seconds']:.2f} | "
                     f"{s['check_cold_cpu']:.2f} | {s['check_warm_seconds']:.2f} | "
                     f"{s['check_warm_cpu']:.2f} |")
    if results.get("previews"):
        lines += [
            "",
            "## Live preview",
            "",
            "`python -m generator serve`; a topic's title is changed and saved, and the clock "
            "stops when the open page in Chromium shows the new title. Each save is checked: "
            "the home page and the search index list the new title and every topic.",
            "",
            "| N | median s | each save s | home page and search correct |",
            "| ---: | ---: | --- | --- |",
        ]
        for preview in results["previews"]:
            lines.append(
                f"| {preview['size']} | {preview['seconds']:.2f} | "
                f"{', '.join(f'{t:.2f}' for t in preview['all'])} | "
                f"{'yes' if preview['navigation_and_search_correct'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def _goals(results: dict) -> list[str]:
    """Each goal of the performance issue, the figure measured for it, and whether it is met."""
    by_size = {summary["size"]: summary for summary in results["sizes"]}
    rows: list[tuple[str, str, bool]] = []
    if "real" in results:
        builds = results["real"]["builds"]
        for name in ("ours", "ours, cold"):
            cpu = builds[name]["cpu"] / builds["plain"]["cpu"]
            rows.append((f"real site, {name}: CPU ≤ 1.3× plain Material", f"{cpu:.2f}×",
                         cpu <= 1.3))
        memory = builds["ours"]["peak_mib"] / builds["plain"]["peak_mib"]
        rows.append(("real site: peak memory ≤ 1.5× plain Material", f"{memory:.2f}×",
                     memory <= 1.5))
    for preview in results.get("previews", []):
        limit = 0.5 if preview["size"] == 1 else 1.0
        rows.append((f"save → preview updated, N = {preview['size']}: ≤ {limit:g} s (median)",
                     f"{preview['seconds']:.2f} s", preview["seconds"] <= limit))
    if 1000 in by_size:
        thousand = by_size[1000]
        for state in ("warm", "cold"):
            seconds = thousand[f"check_{state}_seconds"]
            rows.append((f"`check` of 1,000 topics, {state} cache: ≤ 2 s", f"{seconds:.2f} s",
                         seconds <= 2))
        ratio = thousand["ours"]["seconds"] / thousand["plain"]["seconds"]
        rows.append(("build at N = 1,000: ≤ 0.3× plain Material", f"{ratio:.2f}×", ratio <= 0.3))
        if 100 in by_size:
            growth = thousand["ours"]["seconds"] / by_size[100]["ours"]["seconds"]
            rows.append(("build T(1000)/T(100) ≤ 11", f"{growth:.1f}", growth <= 11))
    if not rows:
        return []
    return ["## Goals", "", "| goal | measured | met |", "| --- | ---: | --- |",
            *(f"| {goal} | {figure} | {'yes' if met else 'NO'} |" for goal, figure, met in rows),
            "", "Lighthouse figures are in `LIGHTHOUSE.md` (`make lighthouse`).", ""]


def _real_site(real: dict) -> list[str]:
    builds = real["builds"]
    lines = ["## The real site", "",
             f"The real content ({real['pages']} pages), each engine's build run {real['runs']} "
             "times, interleaved; medians of the whole command. \"Ours\" keeps its cache "
             "between builds, as on an editor's machine; \"ours, cold\" starts each build "
             "with an empty cache, as on a new machine or in CI.", "",
             "| build | s | CPU s | peak MiB | CPU / plain Material |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name, figures in builds.items():
        lines.append(f"| {name} | {figures['seconds']:.2f} | {figures['cpu']:.2f} | "
                     f"{figures['peak_mib']:.0f} | "
                     f"{figures['cpu'] / builds['plain']['cpu']:.2f} |")
    return [*lines, ""]


if __name__ == "__main__":
    sys.exit(main())
