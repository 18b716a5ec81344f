"""Whatever text goes into the clipping exporter, the reader gets the same number of records.

Arbitrary Unicode in every text field, with the characters that break line-based formats
mixed in: form feeds (the record separator), NUL and other controls, line and paragraph
separators, CR/LF, lone UTF-16 surrogates (which UTF-8 cannot encode), no-break spaces and
the layout's own keywords.
"""

from __future__ import annotations

import io
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.exporters import ClippingItemExporter, read_clippings
from crawler.utils.timezones import WIB

ANY_CHARACTER = st.characters(codec=None, categories=None)
BREAKERS = st.sampled_from(
    [
        "\f",
        "\n\f\n",
        "\x00",
        "\x1b[31m",
        "\r\n",
        "\n\n",
        "\u2028",
        "\u2029",
        "\x85",
        "\ud800",
        "\udfff",
        "\u00a0",
        "\ufeff",
        "Sentimen: positif (50%)",
        "1 Jan 2025 : 10.00 Views 3",
        " Jenis Media: ",
        "Partai Terkait",
        "Kab/Kota: ",
        ", ",
    ]
)
TEXT = st.lists(st.one_of(st.text(ANY_CHARACTER, max_size=8), BREAKERS), max_size=6).map("".join)
ITEMS = st.fixed_dictionaries(
    {
        "url": st.just("https://example.invalid/fuzz"),
        "title": TEXT,
        "published": st.datetimes(datetime(2000, 1, 1), datetime(2099, 1, 1)).map(
            lambda moment: moment.replace(tzinfo=WIB)
        ),
        "outlet_name": TEXT,
        "media_type": TEXT,
        "body": st.lists(TEXT, max_size=5),
        "parties": st.lists(TEXT, max_size=3),
        "kab_kota": st.lists(TEXT.map(lambda label: {"label": label}), max_size=3),
        "sentiment": st.fixed_dictionaries(
            {
                "label": st.sampled_from(["positif", "negatif", "neutral"]),
                "strength": st.floats(min_value=0, max_value=100),
            }
        ),
    }
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ITEMS, max_size=5))
def test_every_exported_record_reads_back(items: list[dict]) -> None:
    output = io.BytesIO()
    exporter = ClippingItemExporter(output)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    records = read_clippings(output.getvalue().decode("utf-8"))
    assert len(records) == len(items)
