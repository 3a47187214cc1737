"""The audit refuses markup the page's Content-Security-Policy would block, naming the page."""

import re
import shutil

import pytest

from generator.audit import audit_page, audit_site
from generator.cli import main
from generator.policy import content_security_policy, scope_of
from generator.theme import THEME_SCRIPTS, allowed_scripts
from tests.conftest import SUB_PATH

SCOPE = f"/{SUB_PATH}/"
ARTICLE = "topics/mri-and-low-back-pain/index.html"


def real_page(built_site, path=ARTICLE) -> str:
    return (built_site["dir"] / path).read_text(encoding="utf-8")


def plant(markup: str, addition: str) -> str:
    """The page with `addition` put at the start of its article."""
    return markup.replace('<article class="md-content__inner md-typeset">',
                          f'<article class="md-content__inner md-typeset">{addition}', 1)


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def test_the_built_site_passes_and_every_page_starts_with_the_policy(real_site):
    assert audit_site(real_site["dir"], SCOPE) == []
    policy = content_security_policy(SCOPE)
    for path in real_site["dir"].rglob("*.html"):
        head = path.read_text(encoding="utf-8").split("<head>", 1)[1].lstrip()
        assert head.startswith(
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">'), path


def test_the_policy_is_strict_and_allows_only_the_pinned_scripts():
    policy = content_security_policy(SCOPE)
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'none'"
    assert "unsafe" not in policy
    hashes = re.findall(r"'sha256-[^']+'", directives["script-src"])
    assert sorted(hashes) == sorted(allowed_scripts(SCOPE))
    assert len(hashes) == len(THEME_SCRIPTS)
    assert scope_of("https://example.org/repo") == "/repo/"
    assert scope_of("http://127.0.0.1:8000/health-guides/") == SCOPE


@pytest.mark.parametrize(("addition", "code", "named"), [
    ("<script>alert(1)</script>", "inline-script", "alert(1)"),
    ('<script type="module">alert(1)</script>', "inline-script", "alert(1)"),
    ('<script type="text/template">x</script>', "inline-script", "script type"),
    ('<script src="x.js">alert(1)</script>', "inline-script", "both a src"),
    ('<button onclick="alert(1)">go</button>', "inline-handler", 'onclick="alert(1)"'),
    ('<svg><rect onload="alert(1)"/></svg>', "inline-handler", "onload"),
    ('<p style="color:red">x</p>', "inline-style", 'style="color:red"'),
    ("<style>p{color:red}</style>", "inline-style", "<style>"),
    ('<a href="javascript:alert(1)">x</a>', "script-url", "javascript:"),
    ('<a href="&#106;ava&#x09;script:alert(1)">x</a>', "script-url", "href"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "script-url", "href"),
    ('<form action="vbscript:msgbox(1)"></form>', "script-url", "action"),
    ('<iframe src="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
     "script-url", "src"),
    ('<script src="https://evil.example/x.js"></script>', "external-resource", "another host"),
    ('<link href="//evil.example/x.css" rel="stylesheet">', "external-resource", "x.css"),
    ('<img src=" HTTPS://evil.example/pixel.png" alt="">', "external-resource", "pixel"),
    ('<script type="application/json">{"a": "</script><script>alert(1)</script>"}</script>',
     ["data-block", "inline-script"], "not valid JSON"),
    ('<script type="application/ld+json">{"a": "<!--"}</script>', "data-block", "<!--"),
    ('<script type="application/json">{"a": "<script"}</script>', "data-block", "<script"),
    ('<h2 id="__drawer">Again</h2>', "duplicate-element-id", "'__drawer'"),
    ('<label for="nowhere">x</label>', "label-without-control", "'nowhere'"),
])
def test_planted_markup_is_refused_with_page_line_and_markup(built_site, addition, code, named):
    markup = plant(real_page(built_site), addition)
    problems = audit_page(ARTICLE, markup, SCOPE)
    assert codes(problems) == (code if isinstance(code, list) else [code])
    problem = problems[0]
    line = next(n for n, text in enumerate(markup.splitlines(), 1) if addition[:20] in text)
    assert (problem.file, problem.line) == (ARTICLE, line)
    assert named in problem.message
    assert str(problem).startswith(f"{ARTICLE}:{line}:")


def test_data_blocks_are_accepted_and_never_hashed(built_site):
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org",'
          '"name":"\\u003c/script\\u003e"}</script>')
    markup = plant(real_page(built_site), ld)
    used: set[str] = set()
    assert audit_page(ARTICLE, markup, SCOPE, used_scripts=used) == []
    assert used == set(allowed_scripts(SCOPE))


def test_a_changed_theme_script_fails_the_site_with_the_page_named(built_site, tmp_path):
    """What a theme upgrade that edits one of its inline scripts looks like to the build."""
    site = tmp_path / "site"
    shutil.copytree(built_site["dir"], site)
    palette = "var palette=__md_get(\"__palette\");"
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert palette in text
        path.write_text(text.replace(palette, palette + "void 0;"), encoding="utf-8")
    problems = audit_site(site, SCOPE)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    changed = [p for p in problems if p.code == "inline-script"]
    assert sorted(p.file for p in changed) == pages
    assert all("generator/theme.py" in p.hint for p in changed)
    [stale] = [p for p in problems if p.code == "theme-changed"]
    assert "saved colour scheme" in stale.message
    assert len(problems) == len(pages) + 1


def test_a_theme_version_other_than_the_checked_one_stops_the_build(built_site, monkeypatch):
    import generator.audit

    assert audit_site(built_site["dir"], SCOPE) == []
    monkeypatch.setattr(generator.audit, "THEME_VERSION", "9.7.7")
    [problem] = audit_site(built_site["dir"], SCOPE)
    assert problem.code == "theme-changed"
    assert "checked for 9.7.7" in problem.message and problem.file == "generator/theme.py"


def test_a_page_without_the_policy_first_is_refused(built_site):
    markup = real_page(built_site)
    policy_meta = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', markup).group(0)
    without = markup.replace(policy_meta, "")
    assert codes(audit_page(ARTICLE, without, SCOPE)) == ["csp-missing"]
    moved = without.replace("</title>", "</title>" + policy_meta)
    assert codes(audit_page(ARTICLE, moved, SCOPE)) == ["csp-missing"]
    other_scope = audit_page(ARTICLE, markup, "/other/")
    assert "csp-missing" in codes(other_scope)  # the policy names this site's scope
    # The live-reload preview's looser policy can never be published.
    preview = markup.replace(content_security_policy(SCOPE),
                             content_security_policy(SCOPE, preview=True))
    assert "'unsafe-inline'" in preview
    assert codes(audit_page(ARTICLE, preview, SCOPE)) == ["csp-missing"]


def test_planted_script_handler_and_style_stop_the_build(content_copy, capsys):
    """Hand-written pages may hold HTML, so the audit is what stops them."""
    about = content_copy / "site_src/about.md"
    about.write_text(about.read_text(encoding="utf-8") + (
        '\n<script>alert("planted")</script>\n\n'
        '<p onclick="alert(1)">Click</p>\n\n<p style="color:red">Red</p>\n'), encoding="utf-8")
    site = content_copy / "site"
    assert main(["build", "--config", str(content_copy / "mkdocs.yml"),
                 "--site-dir", str(site)]) == 1
    err = capsys.readouterr().err
    found = [line for line in err.splitlines() if line.startswith("about/index.html:")]
    assert [line.rsplit("[", 1)[1] for line in found] == [
        "inline-script]", "inline-handler]", "inline-style]"]
    assert 'alert("planted")' in found[0]
    assert "failed its audit and was not published" in err
    assert not site.exists()
