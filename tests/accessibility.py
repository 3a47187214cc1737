"""What the accessibility tests share: the pages of the built site, axe-core, and the browser-side
measurements that axe cannot make (focus, contrast of the focus ring, clipping)."""

from __future__ import annotations

import json
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT

from generator.rules import AnswerSpace, Ask, RuleSet, plainest

WIDTHS = (320, 768, 1280)
SCHEMES = ("light", "dark")
HEIGHT = 800
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                          "best-practice"]},
    "resultTypes": ["violations"],
}


def page_files(site_dir: Path) -> dict[str, Path]:
    """Every HTML page of the built site by its path under the site URL, found on disk so new
    pages are checked without anyone listing them."""
    return {file.relative_to(site_dir).as_posix().removesuffix("index.html"): file
            for file in sorted(site_dir.rglob("*.html"))}


def page_paths(site_dir: Path) -> list[str]:
    return list(page_files(site_dir))


def self_check_paths(site_dir: Path) -> list[str]:
    return [path for path, file in page_files(site_dir).items()
            if 'data-module="self-check"' in file.read_text("utf-8")]


def new_context(browser, width: int, scheme: str = "light", **options):
    """A browser context of one width and colour scheme, with axe-core loaded into every page
    before the page's own scripts (a content security policy cannot block it there)."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT},
                                  color_scheme=scheme, **options)
    context.add_init_script(script=AXE_SCRIPT)
    return context


def axe_violations(page, where: str, include: str | None = None) -> list[str]:
    """One line per failing element: where, rule, impact, target and axe's own explanation."""
    context = {"include": [[include]]} if include else None
    result = page.evaluate("([context, options]) => axe.run(context || document, options)",
                           [context, AXE_OPTIONS])
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{where}: {violation['id']} ({violation['impact']}) "
                         f"{node['target']} {summary}")
    return lines


def rules_on(page) -> dict:
    return json.loads(page.locator("script[data-self-check-rules]").text_content())


def examples(rules: dict) -> dict[str, tuple[dict, dict]]:
    """For each outcome of a page's rules, the plainest complete answers that show it: as
    Python takes them, and as the form takes them (an answer id, a list of chosen options,
    or a number in the band). Follow-ups that are not asked are left out."""
    rule_set = RuleSet.from_json(rules)
    space = AnswerSpace(rule_set.questions)
    found = {}
    for outcome, vectors in rule_set.shown(space).items():
        answers = space.answers(plainest(space, vectors))
        asked = rule_set.answers(answers)
        answers = {q: a for q, a in answers.items() if asked.asked(q)}
        found[outcome] = (answers, {ask.id: form_value(ask, answers[ask.id])
                                    for ask in rule_set.questions if ask.id in answers})
    return found


def example_answers(rules: dict) -> dict[str, dict[str, object]]:
    return {outcome: form for outcome, (_, form) in examples(rules).items()}


def form_value(ask: Ask, answer: object) -> object:
    if isinstance(answer, frozenset):
        return sorted(answer, key=ask.values.index)
    if ask.type == "number":
        index = ask.values.index(answer)
        start = ask.bands[index - 1][1] if index else (
            ask.lowest if ask.lowest is not None else ask.bands[0][1] - 1)
        return f"{start:g}"
    return answer


# Chooses answers as a reader would, all at once (the keyboard test drives the real controls
# one by one; this is only the fast way to reach each state).
FILL = """(answers) => {
  const form = document.querySelector("[data-self-check-form]");
  for (const input of form.querySelectorAll("input")) {
    input.checked = false;
    if (input.type === "text") input.value = "";
  }
  for (const [question, answer] of Object.entries(answers)) {
    const number = document.getElementById(question + "--number");
    if (Array.isArray(answer)) {
      if (!answer.length) document.getElementById(question + "--none").checked = true;
      for (const option of answer) document.getElementById(question + "--" + option).checked = true;
    } else if (number) {
      number.value = answer;
    } else {
      document.getElementById(question + "--" + answer).checked = true;
    }
  }
  form.dispatchEvent(new Event("change", { bubbles: true }));
}"""

FOCUS_STOP = (Path(__file__).parent / "focus_stop.js").read_text(encoding="utf-8")


def walk_with_tab(page, limit: int = 400) -> list[dict]:
    """Presses Tab from the top of the page until focus comes back round; every stop once."""
    stops: list[dict] = []
    seen: set[int] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_STOP)
        if stop is None:
            if stops:
                break
            continue
        if stop["id"] in seen:
            break
        seen.add(stop["id"])
        stops.append(stop)
    return stops


def focus_problems(stops: list[dict], where: str) -> list[str]:
    problems = []
    for stop in stops:
        wrong = []
        if not (stop["size"] and stop["visible"]):
            wrong.append("is not visible")
        elif not stop["inViewport"]:
            wrong.append("is outside the viewport")
        elif not stop["uncovered"]:
            wrong.append(f"is hidden under {stop['coveredBy']}")
        if not stop["ring"]:
            wrong.append("has no focus ring of 2px or more")
        elif stop["ringContrast"] < 3:
            wrong.append(f"has a focus ring of only {stop['ringContrast']:.2f}:1")
        if wrong:
            problems.append(f"{where}: focus on {stop['name']} " + ", ".join(wrong))
    return problems


# WCAG 1.4.12's text-spacing overrides, as a bookmarklet would add them.
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
                " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")

# Text cut off: any element that clips its overflow and has more text than room. Sideways
# scrolling: the page's own width, and any part of it (a table) that scrolls sideways; code
# blocks may.
CLIPPING = """() => {
  const clipped = [], scrolling = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    if (el.closest(".visually-hidden") || !(el.innerText || "").trim()) continue;
    const style = getComputedStyle(el);
    const name = el.tagName.toLowerCase() + "." + el.className + " '"
      + el.innerText.trim().slice(0, 40) + "'";
    const wide = el.scrollWidth > el.clientWidth + 1;
    const x = /hidden|clip/.test(style.overflowX) && wide;
    const y = /hidden|clip/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (x || y) clipped.push(name);
    if (/auto|scroll/.test(style.overflowX) && wide && !el.closest("pre")) scrolling.push(name);
  }
  return { scrollWidth: document.documentElement.scrollWidth, clipped, scrolling };
}"""


def layout_problems(page, where: str) -> list[str]:
    found = page.evaluate(CLIPPING)
    width = page.viewport_size["width"]
    problems = [f"{where}: text cut off in {name}" for name in found["clipped"]]
    problems += [f"{where}: scrolls sideways inside {name}" for name in found["scrolling"]]
    if found["scrollWidth"] > width:
        problems.append(f"{where}: scrolls sideways ({found['scrollWidth']}px in {width}px)")
    return problems
