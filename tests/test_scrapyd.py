"""Deploy to a real Scrapyd with scrapyd-deploy, schedule `espos` over HTTP, read its feed."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from conftest import (
    FAST_CRAWL_SETTINGS,
    READ_AHEAD_SETTINGS,
    REPO,
    SITES,
    log_stat,
    read_jsonl,
)

from crawler.testing.fixture_server import FixtureServer
from crawler.testing.polling import poll_until

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
PROJECT = "crawler"
#: What scrapyd-deploy needs to build the egg: the package and the build files.
PROJECT_FILES = ("crawler", "pyproject.toml", "setup.py", "scrapy.cfg", "README.md", "LICENSE")
SCRAPYD_CONF = """\
[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = eggs
logs_dir = logs
items_dir =
dbs_dir = dbs
jobs_to_keep = 5
max_proc = 2
poll_interval = 0.2
"""
DEADLINE = 45.0
POLL_PAUSE = 0.1


def clean_environment() -> dict[str, str]:
    """Without these the job could import the project from elsewhere than the deployed egg."""
    return {
        key: value
        for key, value in os.environ.items()
        if key not in {"SCRAPY_SETTINGS_MODULE", "PYTHONPATH"}
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(url: str, form: list[tuple[str, str]] | None = None) -> dict:
    data = urlencode(form).encode() if form is not None else None
    with urlopen(url, data=data, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    """A Scrapyd on a free 127.0.0.1 port with its own directory; yields its base URL."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(SCRAPYD_CONF.format(port=port), encoding="utf-8")
    env = clean_environment()
    with (home / "scrapyd.out").open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"], cwd=home, env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}/"

    def ready() -> bool:
        try:
            return call(url + "daemonstatus.json")["status"] == "ok"
        except (URLError, ConnectionError, ValueError):
            return False

    try:

        def answering() -> bool:
            if server.poll() is not None:
                pytest.fail(f"scrapyd exited ({server.returncode}) before answering")
            return ready()

        poll_until(answering, timeout=DEADLINE, what="scrapyd to answer", max_pause=POLL_PAUSE)
        server.home = home  # type: ignore[attr-defined]
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def project_copy(tmp_path: Path, scrapyd_url: str) -> Path:
    """The project as scrapyd-deploy sees it, its [deploy] target pointed at the test server."""
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / name)
    config = configparser.ConfigParser()
    config.read(project / "scrapy.cfg")
    assert config["deploy"]["project"] == PROJECT
    config["deploy"]["url"] = scrapyd_url
    with (project / "scrapy.cfg").open("w", encoding="utf-8") as cfg:
        config.write(cfg)
    return project


def scrapyd_deploy(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_environment()
    return subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_schedule_and_read_the_feed(scrapyd: str, tmp_path: Path):
    project = project_copy(tmp_path, scrapyd)
    egg = tmp_path / "crawler.egg"
    built = scrapyd_deploy(project, "--build-egg", str(egg))
    assert built.returncode == 0, built.stderr[-3000:]
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert {"crawler/data/kabkota.csv", "crawler/settings.py", "crawler/commands/crawl.py"} <= names
    assert "settings = crawler.settings" in entry_points

    deployed = scrapyd_deploy(project, "--egg", str(egg), "--version", "r1")
    assert deployed.returncode == 0, deployed.stderr[-3000:]
    answer = json.loads(deployed.stdout)
    assert answer["status"] == "ok" and answer["project"] == PROJECT, answer
    spiders = call(scrapyd + f"listspiders.json?project={PROJECT}")["spiders"]
    assert "espos" in spiders

    feed = tmp_path / "feed" / "espos.jsonl"
    with FixtureServer(SITES / "espos") as site:
        settings = {
            **FAST_CRAWL_SETTINGS,
            # Article pages read in a worker process started from Scrapyd's egg runner.
            **READ_AHEAD_SETTINGS,
            "CRAWLER_HOST_MAP": json.dumps(site.host_map()),
            "FEEDS": json.dumps({feed.as_uri(): {"format": "jsonlines"}}),
        }
        form = [
            ("project", PROJECT),
            ("spider", "espos"),
            ("since", EXPECTED["window"]["since"]),
            ("until", EXPECTED["window"]["until"]),
            *(("setting", f"{name}={value}") for name, value in settings.items()),
        ]
        scheduled = call(scrapyd + "schedule.json", form)
        assert scheduled["status"] == "ok", scheduled
        job = scheduled["jobid"]

        def finished() -> bool:
            jobs = call(scrapyd + f"listjobs.json?project={PROJECT}")
            return any(entry["id"] == job for entry in jobs["finished"])

        poll_until(finished, timeout=DEADLINE, what=f"job {job} to finish", max_pause=POLL_PAUSE)

    log = next((tmp_path / "scrapyd" / "logs" / PROJECT / "espos").glob(f"{job}.log"))
    log_text = log.read_text(encoding="utf-8")
    assert "Summary espos: found 11, new 10, delivered 9," in log_text, log_text[-3000:]
    assert ", finished, ok" in log_text
    assert log_stat(log_text, "crawler/read_ahead/pages") >= 9
    records = read_jsonl(feed)
    assert sorted(r["url"] for r in records) == sorted(a["url"] for a in EXPECTED["articles"])
