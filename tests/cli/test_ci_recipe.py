"""The README's CI recipes, run as written: each command is read out of README.md, so the two cannot drift.
Only soketi's host and port change (the recipes run soketi as a CI service on 6001; here it is the
suite's soketi), and the recipe's throwaway app is one of that soketi's apps."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from xml.etree import ElementTree

import yaml

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import REPO, CliResult, run_process
from tests.support.servers import CI_RECIPE


def _recipe(heading: str) -> dict:
    """The YAML block that follows `heading` in the README's "In CI" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### In CI"):]
    block = re.search(r"```yaml\n(.*?)```", section[section.index(heading):], re.DOTALL)
    assert block is not None, f"no YAML block after {heading!r} in README.md"
    return yaml.safe_load(block.group(1))


def _check_line(lines: list[str]) -> list[str]:
    """The recipe's `pusher-doctor check ...` as arguments, without the command's name."""
    command = next(line for line in lines if line.startswith("pusher-doctor check"))
    return shlex.split(command)[1:]


def _on(server: SoketiServer, args: list[str]) -> list[str]:
    """`args` aimed at the suite's soketi instead of the CI service."""
    values = {"--host": server.HOST, "--port": str(server.port)}
    return [values.get(args[i - 1], arg) if i else arg for i, arg in enumerate(args)]


def _steps(result: CliResult, workdir: Path) -> dict[str, str]:
    """Each JUnit test case's check id and how it ended: passed, failure or skipped."""
    cases = ElementTree.parse(workdir / "pusher.xml").iter("testcase")
    return {case.get("name", "").split(":")[0]: next((child.tag for child in case), "passed") for case in cases}


def test_the_github_actions_recipe_passes_against_soketi_and_tests_delivery(soketi: SoketiServer, tmp_path) -> None:
    recipe = _recipe("GitHub Actions")
    service = recipe["jobs"]["pusher-smoke"]["services"]["soketi"]["env"]
    assert (service["SOKETI_DEFAULT_APP_ID"], service["SOKETI_DEFAULT_APP_KEY"],
            service["SOKETI_DEFAULT_APP_SECRET"]) == (CI_RECIPE.id, CI_RECIPE.key, CI_RECIPE.secret)
    runs = [step["run"].strip() for step in recipe["jobs"]["pusher-smoke"]["steps"] if "run" in step]
    args = _on(soketi, _check_line(runs))
    result = run_process(args, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    steps = _steps(result, tmp_path)
    assert steps["live-guest"] == steps["trigger"] == steps["delivery"] == "passed", steps
    assert steps["channel-privacy"] == "skipped"


def test_the_github_actions_recipe_fails_when_delivery_cannot_work(soketi: SoketiServer, tmp_path) -> None:
    runs = [step["run"].strip() for step in _recipe("GitHub Actions")["jobs"]["pusher-smoke"]["steps"] if "run" in step]
    args = _on(soketi, _check_line(runs))
    wrong = [("not-the-secret" if arg == CI_RECIPE.secret else arg) for arg in args]
    result = run_process(wrong, cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert _steps(result, tmp_path)["rest-api"] == "failure"


def test_the_gitlab_recipe_passes_with_its_variables(soketi: SoketiServer, tmp_path) -> None:
    job = _recipe("GitLab CI")["pusher-smoke"]
    variables = {name: str(value) for name, value in job["variables"].items() if name.startswith("PUSHER_")}
    variables.update(PUSHER_HOST=soketi.HOST, PUSHER_PORT=str(soketi.port))
    result = run_process(_check_line(job["script"]), cwd=tmp_path, env=variables)
    assert result.exit_code == 0, result.output
    steps = _steps(result, tmp_path)
    assert steps["trigger"] == steps["delivery"] == "passed", steps


def test_without_ci_the_same_strict_run_fails_on_the_absent_guest(soketi: SoketiServer, tmp_path) -> None:
    runs = [step["run"].strip() for step in _recipe("GitHub Actions")["jobs"]["pusher-smoke"]["steps"] if "run" in step]
    args = [arg for arg in _on(soketi, _check_line(runs)) if arg != "--ci"]
    result = run_process(args, cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert _steps(result, tmp_path)["live-guest"] == "failure"
