"""Where a crawl's CPU goes: ``python -m crawler.bench.profile [--articles N] [--spider S]``.

Runs one ``scrapy crawl`` of the benchmark site (the same command, settings and server as
``python -m crawler.bench``) under ``cProfile`` timed by the process's CPU time (wall-clock
time would count the event loop's waits for the network) and prints:

- own CPU time per component of the crawl path (extraction, enrichment, pipelines,
  delivered-store, feeds, extensions, downloader middlewares, scheduler, Scrapy's engine,
  Twisted...), in ms per article; the time of libraries, the standard library and C code
  (lxml, parsel, json, sqlite3, asyncio) counts for the components that called them;
- the functions outside extraction with the most own time, and the project's functions
  outside extraction with the most cumulative time, by file and name.

cProfile slows pure-Python code more than C code, so the shares are a map of where to look,
not figures to compare with the benchmark's.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import runpy
import shutil
import sys
import sysconfig
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from crawler.bench.crawls import our_command, project_env
from crawler.bench.process import run_measured
from crawler.bench.server import spawn
from crawler.bench.site import build_site

#: Components of the crawl path by path fragment of the source file; the first match wins.
COMPONENTS = (
    ("extraction", ("crawler/extraction/",)),
    ("enrichment", ("crawler/enrichment/",)),
    ("pipelines", ("crawler/pipelines/",)),
    (
        "feeds and exporters",
        (
            "crawler/exporters/",
            "crawler/store/feeds.py",
            "scrapy/extensions/feedexport.py",
            "scrapy/exporters.py",
            "scrapy/extensions/postprocessing.py",
        ),
    ),
    ("delivered-store", ("crawler/store/",)),
    ("project extensions", ("crawler/extensions/",)),
    (
        "project download handler and middlewares",
        ("crawler/downloader/", "crawler/archive/"),
    ),
    ("spider: discovery, requests, items", ("crawler/",)),
    ("Scrapy downloader middlewares", ("scrapy/downloadermiddlewares/",)),
    ("Scrapy HTTP download", ("scrapy/core/downloader/", "scrapy/core/http2/")),
    (
        "Scrapy scheduler and request fingerprints",
        ("scrapy/core/scheduler.py", "scrapy/pqueues.py", "queuelib/", "scrapy/dupefilters.py"),
    ),
    (
        "Scrapy item concurrency (CONCURRENT_ITEMS tasks per response)",
        ("scrapy/utils/asyncio.py", "scrapy/utils/asyncgen.py"),
    ),
    ("Scrapy engine and scraper", ("scrapy/core/",)),
    ("Scrapy spider middlewares", ("scrapy/spidermiddlewares/",)),
    ("Scrapy signals", ("scrapy/utils/signal.py", "scrapy/signalmanager.py", "pydispatch/")),
    ("Scrapy stats", ("scrapy/statscollectors.py", "scrapy/extensions/corestats.py")),
    ("Scrapy other (responses, requests, logging)", ("scrapy/",)),
    ("Twisted and the event loop", ("twisted/",)),
)
OTHER = "start-up and unattributed"
#: Source files of the standard library (shortened in the listing).
STDLIB = sysconfig.get_paths()["stdlib"].replace("\\", "/")
#: The child process: Scrapy's command line under a profiler timed by this process's CPU time.
PROFILED_SCRAPY = "from crawler.bench.profile import profiled_scrapy; profiled_scrapy()"
PROFILE_FILE = "crawl.prof"
Key = tuple[str, int, str]
#: Stands for the callers of time that reached no component function (start-up, imports).
UNATTRIBUTED: Key = ("~", 0, OTHER)


def component_of(filename: str) -> str | None:
    """The component of a source file; None for libraries, the standard library and C code."""
    path = filename.replace("\\", "/")
    for name, fragments in COMPONENTS:
        if any(fragment in path for fragment in fragments):
            return name
    return None


class Attribution:
    """Own time of every function, given to the component functions that caused it.

    A function of a component keeps its own time. The own time of a library function (lxml,
    parsel, json, sqlite3, asyncio, any C function) is shared among its callers in proportion
    to the time it spent for each (``pstats`` keeps that per caller), and so on up until a
    caller belongs to a component: lxml's parsing counts for whoever asked for the parse.
    """

    def __init__(self, table: dict[Key, tuple]) -> None:
        """``table``: ``pstats.Stats.stats``, function to (calls, calls, own, cumulative,
        callers)."""
        self.table = table
        self.shares: dict[Key, dict[Key, float]] = {}

    def owners_of(self, key: Key, visiting: frozenset[Key] = frozenset()) -> dict[Key, float]:
        """The component functions a function's own time counts for, with their shares."""
        if component_of(key[0]) is not None:
            return {key: 1.0}
        if key in self.shares:
            return self.shares[key]
        callers = self.table.get(key, (0, 0, 0, 0, {}))[4]
        weights = {caller: figures[2] for caller, figures in callers.items()}
        total = sum(weights.values())
        if key in visiting or total <= 0:
            return {UNATTRIBUTED: 1.0}
        shares: dict[Key, float] = defaultdict(float)
        for caller, weight in weights.items():
            for owner, share in self.owners_of(caller, visiting | {key}).items():
                shares[owner] += share * weight / total
        self.shares[key] = dict(shares)
        return self.shares[key]

    def by_function(self) -> dict[Key, float]:
        """Seconds per component function: its own and those of the libraries it called."""
        seconds: dict[Key, float] = defaultdict(float)
        for key, figures in self.table.items():
            for owner, share in self.owners_of(key).items():
                seconds[owner] += figures[2] * share
        return dict(seconds)

    def by_component(self) -> dict[str, float]:
        seconds: dict[str, float] = defaultdict(float)
        for (filename, _, _), spent in self.by_function().items():
            seconds[component_of(filename) or OTHER] += spent
        return dict(seconds)


def own_time_hot_spots(attribution: Attribution, count: int) -> list[tuple[float, int, Key]]:
    """(s, calls, function) of the component functions outside extraction with the most time
    of their own and of the libraries they called."""
    rows = [
        (spent, attribution.table.get(key, (0, 0))[1], key)
        for key, spent in attribution.by_function().items()
        if component_of(key[0]) != "extraction"
    ]
    return sorted(rows, reverse=True)[:count]


def project_hot_spots(stats: pstats.Stats, count: int) -> list[tuple[float, float, int, Key]]:
    """(cumulative s, own s, calls, function) of the project's functions outside extraction."""
    table: dict[Key, tuple] = stats.stats  # type: ignore[attr-defined]
    rows = [
        (cumulative, own, calls, key)
        for key, (_, calls, own, cumulative, _) in table.items()
        if "/crawler/" in key[0] and component_of(key[0]) != "extraction"
    ]
    return sorted(rows, reverse=True)[:count]


def short_path(filename: str) -> str:
    path = filename.replace("\\", "/")
    if path.startswith(STDLIB + "/"):
        return path[len(STDLIB) + 1 :]
    if "/site-packages/" in path:
        return path.split("/site-packages/", 1)[1]
    if "/crawler/" in path:
        return path[path.rindex("/crawler/") + 1 :]
    return path


def print_profile(stats: pstats.Stats, articles: int, top: int) -> None:
    per_article = 1000 / articles

    def ms(seconds: float) -> str:
        return f"{seconds * per_article:8.3f}"

    attribution = Attribution(stats.stats)  # type: ignore[attr-defined]
    components = attribution.by_component()
    total = sum(components.values())
    print(f"Own CPU time per component, ms per article ({articles} articles, under cProfile):")
    for name, seconds in sorted(components.items(), key=lambda item: -item[1]):
        print(f"  {ms(seconds)}  {seconds / total:6.1%}  {name}")
    print(f"  {ms(total)}  total")
    print(f"\nFunctions outside extraction by own and library time (top {top}):")
    print("      ms/article     calls  function")
    for own, calls, (filename, line, function) in own_time_hot_spots(attribution, top):
        print(f"  {ms(own)}        {calls:8d}  {short_path(filename)}:{line} {function}")
    print(f"\nProject functions outside extraction by cumulative time (top {top}):")
    print("  cum ms/article  own ms/article     calls  function")
    for cumulative, own, calls, (filename, line, function) in project_hot_spots(stats, top):
        where = f"{short_path(filename)}:{line} {function}"
        print(f"  {ms(cumulative)}        {ms(own)}        {calls:8d}  {where}")


def profiled_scrapy() -> None:
    """Run ``scrapy`` with this process's arguments under cProfile timed by CPU time."""
    profiler = cProfile.Profile(time.process_time)
    sys.argv = ["scrapy", *sys.argv[1:]]
    status: object = 0
    try:
        profiler.runcall(runpy.run_module, "scrapy", run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        status = exit_.code
    finally:
        profiler.dump_stats(PROFILE_FILE)
    sys.exit(status)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m crawler.bench.profile", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--spider", choices=("espos", "generic"), default="espos")
    parser.add_argument(
        "--read-processes",
        type=int,
        default=0,
        help="CRAWLER_READ_PROCESSES: profile the crawl's own thread while workers read pages",
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", action="store_true", help="keep the site, log and profile")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="crawler-profile-"))
    try:
        site = build_site(workdir / "site", args.articles)
        server, port = spawn(site.directory)
        try:
            crawl_dir = workdir / "crawl"
            crawl_dir.mkdir()
            # our_command is [python, -m, scrapy, crawl, ...]: the child takes what follows.
            command = [
                sys.executable,
                "-c",
                PROFILED_SCRAPY,
                *our_command(
                    args.spider,
                    site,
                    port,
                    CRAWLER_READ_PROCESSES=str(args.read_processes),
                    CRAWLER_READ_AHEAD_AFTER="0",
                )[3:],
            ]
            result = run_measured(
                command, cwd=crawl_dir, env=project_env(), log_file=None, timeout=3600
            )
        finally:
            server.terminate()
            server.wait()
        if result.returncode != 0:
            print(result.log[-3000:], file=sys.stderr)
        print_profile(pstats.Stats(str(crawl_dir / PROFILE_FILE)), args.articles, args.top)
        print(f"\ncrawl exit status {result.returncode}, {result.cpu_s:.1f} s CPU under cProfile")
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
