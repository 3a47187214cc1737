"""Self-check figures: what the proofs cover, what the page costs, how fast a result appears.

    make benchmark-self-check      # or: .venv/bin/python -m benchmarks.self_check [CONTENT]

For each self-check in a content folder (default: the real content, plus tests/new_topics as
fixtures of every question type) it prints the complete and partial answer vectors its
proofs and the browser tests cover, and the time the build takes to prove it. It then
builds the fixture site and, in headless Chromium slowed four times (as a cheap phone is),
times the step a worried reader takes first: from a "yes" to the first warning sign to the
result card with its route on screen. Last, the self-check script and styles, gzipped.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import SUB_PATH, serving
from generator.content import read_library
from generator.rules import AnswerSpace
from tests.browser import launch

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ("overrides/assets/javascripts/self-check.js",
          "overrides/assets/stylesheets/self-check.css")
RUNS = 15
PAGE = "topics/mri-and-low-back-pain/do-i-need-an-mri-now/"


def proofs(content: Path) -> list[tuple[str, int, int, float]]:
    library = read_library(content, content.parent)
    rows = []
    for topic in library.topics:
        for check_id, rule_set in library.rule_sets[topic.id].items():
            started = time.perf_counter()
            space = AnswerSpace(rule_set.questions)
            rule_set.shown(space)
            seconds = time.perf_counter() - started
            partial = AnswerSpace(rule_set.questions, partial=True).total
            rows.append((f"{topic.id}/{check_id}", space.total, partial, seconds))
    return rows


def time_to_route(site_dir: Path, path: str) -> list[float]:
    """Milliseconds from the click on "yes" to the first result card being visible."""
    playwright, browser = launch()
    times = []
    try:
        with serving(site_dir.parent) as url:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            for _ in range(RUNS):
                page.goto(url + path)
                page.wait_for_selector("[data-self-check-form]:not([hidden])")
                times.append(page.evaluate("""() => new Promise((done) => {
                    const yes = document.querySelector("[data-question] input[value=yes]");
                    const results = document.querySelector("[data-self-check-results]");
                    const started = performance.now();
                    yes.click();
                    const seen = () => results.querySelector("[data-outcome]:not([hidden])")
                        && !results.hidden ? done(performance.now() - started)
                        : performance.now() - started > 5000 ? done(NaN)
                        : requestAnimationFrame(seen);
                    seen();
                })"""))
    finally:
        browser.close()
        playwright.stop()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", type=Path, default=None)
    parser.add_argument("--page", default=PAGE,
                        help="the self-check page to time; its first question must settle the "
                             "result with a yes")
    args = parser.parse_args(argv)
    from generator.cli import main as cli

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        content = work / "project" / "content"
        shutil.copytree(args.content or ROOT / "content", content)
        if args.content is None:
            for topic in sorted((ROOT / "tests" / "new_topics").glob("*.yaml")):
                shutil.copy(topic, content / "topics" / topic.name)
        print("Answer vectors each proof covers (complete at build time; partial in the "
              "browser tests):")
        total = 0
        for name, complete, partial, seconds in proofs(content):
            total += complete + partial
            print(f"  {name}: {complete:,} complete, {partial:,} partial, "
                  f"proved in {seconds * 1000:.1f} ms")
        print(f"  in all: {total:,} answer vectors")
        for name in ("site_src", "overrides"):
            shutil.copytree(ROOT / name, work / "project" / name)
        shutil.copy(ROOT / "mkdocs.yml", work / "project" / "mkdocs.yml")
        site_dir = work / "pages" / SUB_PATH
        if cli(["build", "--config", str(work / "project" / "mkdocs.yml"),
                "--site-dir", str(site_dir)]) != 0:
            return 1
        path = args.page
        times = time_to_route(site_dir, path)
        print(f"From a \"yes\" to the result and its route on screen ({path}, CPU slowed 4x, "
              f"{RUNS} runs): median {statistics.median(times):.1f} ms, "
              f"slowest {max(times):.1f} ms")
    sizes = {Path(name).name: len(gzip.compress((ROOT / name).read_bytes(), 9))
             for name in ASSETS}
    print("Self-check script and styles, gzipped: " + ", ".join(
        f"{name} {size:,} B" for name, size in sizes.items())
          + f"; together {sum(sizes.values()):,} B of a 6,144 B budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
