"""The GitHub Actions workflow passes a static analyser of workflows (zizmor), with every
finding it knows of, including the pedantic ones: actions pinned to commits, no credentials
left on disk for the Pages artifact to pick up, and test runs that never queue behind deploys."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.editing import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def zizmor(*options: str) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("zizmor")
    return subprocess.run([str(executable), "--offline", "--no-progress", *options, str(WORKFLOW)],
                          capture_output=True, text=True, timeout=120)


def test_zizmor_finds_nothing_even_when_pedantic():
    for persona in ("regular", "pedantic"):
        result = zizmor("--persona", persona)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No findings to report" in result.stdout + result.stderr


def test_zizmor_would_find_the_old_workflow_s_problems(tmp_path):
    """The analyser really looks: the workflow as it was (tags, kept credentials) fails."""
    old = tmp_path / ".github" / "workflows" / "site.yml"
    old.parent.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8")
    text = re.sub(r"@[0-9a-f]{40}  # (v\d+)[.\d]*", r"@\1", text)
    old.write_text(text.replace("        with:\n          persist-credentials: false\n", ""))
    executable = Path(sys.executable).with_name("zizmor")
    result = subprocess.run([str(executable), "--offline", "--no-progress", str(old)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert result.stdout.count("error[unpinned-uses]") == 7
    assert result.stdout.count("[artipacked]") == 2


def test_only_the_deploy_job_waits_in_the_pages_group():
    text = WORKFLOW.read_text(encoding="utf-8")
    top, jobs = text.split("\njobs:\n", 1)
    assert "group: ${{ github.workflow }}-${{ github.ref }}" in top
    assert "group: pages" not in top
    deploy = jobs[jobs.index("  deploy:"):]
    assert "group: pages" in deploy and jobs.count("group: pages") == 1
    assert all(re.search(r"@[0-9a-f]{40}  # v\d+\.\d+\.\d+$", line)
               for line in text.splitlines() if "uses:" in line)
