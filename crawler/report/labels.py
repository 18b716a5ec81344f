"""The page's words in Bahasa Indonesia or English (``crawler/data/report_labels.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from crawler.utils.timezones import as_wib

LABELS_FILE = "report_labels.json"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


@cache
def _all_labels() -> dict[str, Any]:
    return json.loads(files("crawler.data").joinpath(LABELS_FILE).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Labels:
    """Texts and date formats of one language; ``labels["key"]`` or ``labels.get("key", n=3)``."""

    language: str

    @property
    def _texts(self) -> dict[str, Any]:
        return _all_labels()[self.language]

    def __getitem__(self, key: str) -> str:
        return self._texts[key]

    def get(self, key: str, **values: Any) -> str:
        """The text with ``{name}`` placeholders filled in."""
        return self._texts[key].format(**values)

    def reason(self, key: str) -> str:
        return self._texts["reasons"].get(key, key)

    def day(self, day: date) -> str:
        """``Kamis, 3 Jul`` / ``Thu, 3 Jul``: a day of the report's range."""
        weekday = self._texts["weekdays"][day.weekday()]
        return f"{weekday}, {day.day} {self._texts['months'][day.month - 1]}"

    def short_day(self, day: date) -> str:
        return f"{day.day} {self._texts['months'][day.month - 1]} {day.year}"

    def moment(self, moment: datetime) -> str:
        """``3 Jul 2025 16.04 WIB`` (``16:04`` in English)."""
        moment = as_wib(moment)
        return f"{self.short_day(moment.date())} {self.clock(moment)} WIB"

    def clock(self, moment: datetime) -> str:
        moment = as_wib(moment)
        return f"{moment.hour:02d}{self._texts['time_separator']}{moment.minute:02d}"
