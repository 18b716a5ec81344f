"""What the previous report saw, so the next one can show what is new since.

A small JSON file (by default ``CRAWLER_STATE_DIR/report-seen.json``) holds the url_hash of
every article of the last report and when it was made. It is replaced atomically after the
report page is written, so a failed report leaves the previous state in place. A damaged file
is logged and treated as absent: the report then counts every article as new, as a first
report does.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

logger = logging.getLogger(__name__)

STATE_FILE = "report-seen.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class PreviousReport:
    generated: datetime
    url_hashes: frozenset[str]


def load_previous(path: Path) -> PreviousReport | None:
    """The previous report's articles, or None when there was none (or its file is damaged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return PreviousReport(
            generated=datetime.fromisoformat(data["generated"]),
            url_hashes=frozenset(str(h) for h in data["url_hashes"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning(
            "%s: previous report state unreadable (%s); all articles count as new", path, error
        )
        return None


def save_seen(path: Path, generated: datetime, url_hashes: Iterable[str]) -> None:
    """Replace the state with this report's articles (write a temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "version": STATE_VERSION,
        "generated": generated.isoformat(),
        "url_hashes": sorted(set(url_hashes)),
    }
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, path)
