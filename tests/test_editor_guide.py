"""Every error code a message can carry has its own section in the editor guide."""

import ast
import re

from tests.editing import ROOT


def codes_in_source() -> set[str]:
    """The last positional argument of every problem(...) call is its code.

    Codes passed through a variable (the two safety checks at the end of rules._prove) are
    not found this way; the test names them below so they are held to the same rule.
    """
    codes: set[str] = set()
    for path in (ROOT / "generator").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in {"problem", "Problem", "fail", "_flag"}:
                continue
            last = node.args[-1]
            branches = [last.body, last.orelse] if isinstance(last, ast.IfExp) else [last]
            codes |= {b.value for b in branches if isinstance(b, ast.Constant)
                      and isinstance(b.value, str)}
    return codes


def test_every_error_code_is_explained_in_the_guide():
    codes = codes_in_source() | {"sign-level-too-low", "not-sure-level-too-low"}
    guide = (ROOT / "content" / "README.md").read_text()
    sections = set(re.findall(r"^### ([a-z0-9-]+)$", guide, flags=re.M))
    assert {"duplicate-key", "unknown-field", "unreachable-outcome", "no-outcome",
            "sign-not-asked", "tag"} <= codes
    assert codes - sections == set()
