"""How long the enrichers take on a typical article: ``python -m crawler.bench.enrichment``.

Prints milliseconds per 600-word article (CPU time, and wall-clock time beside it) for the
region tagger, the party tagger and, when ``crawler.enrichment.sentiment`` is importable, the
sentiment enricher, plus their sum. The target is 2 ms for all three together. The article
is constructed (our own text in the shape of a Central Java regional news story: dateline,
officials, kecamatan, parties, a tax and a ministry that must not be tagged), repeated to
600 words.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import time
from collections.abc import Callable

from crawler.enrichment.gazetteer import load_gazetteer
from crawler.enrichment.parties import PartyEnricher, load_party_lexicon
from crawler.enrichment.regions import RegionEnricher
from crawler.items import ArticleItem

WORDS_PER_ARTICLE = 600

TITLE = "Banjir Rob Meluas, Pemkab Demak dan Pemkot Semarang Siapkan Tanggul Darurat"
PARAGRAPHS = [
    "DEMAK, KOMPAS.com – Banjir rob kembali merendam ratusan rumah di Kecamatan Sayung, "
    "Kabupaten Demak, sejak Senin (3/2/2025) pagi. Air laut pasang masuk melalui tanggul "
    "yang jebol di perbatasan dengan Kota Semarang.",
    "Bupati Demak mengatakan pemkab sudah berkoordinasi dengan Pemkot Semarang untuk menutup "
    "tanggul darurat. Menurut dia, warga di Desa Sriwulan dan Bedono paling terdampak karena "
    "rumah mereka berada di bawah permukaan laut.",
    "\u201cKami kirim karung pasir dan alat berat. Petugas BPBD berjaga di lokasi siang dan "
    "malam,\u201d ujarnya saat meninjau lokasi bersama anggota Fraksi PKB dan Fraksi Gerindra "
    "DPRD Demak.",
    "Anggota DPRD dari PDI Perjuangan meminta pemerintah provinsi ikut menanggung biaya "
    "perbaikan. Ia juga meminta Bapenda menunda penagihan PKB dan PBB bagi warga yang rumahnya "
    "terendam, seperti yang pernah dilakukan saat banjir besar beberapa tahun lalu.",
    "Sementara itu, aparatur sipil negara di lingkungan pemkab tetap masuk kantor. Sesuai "
    "Peraturan Menteri PAN-RB, kerja dari rumah hanya berlaku bagi pegawai yang tugasnya tidak "
    "bersentuhan dengan pelayanan publik.",
    "Di Kudus dan Pati, hujan deras juga membuat sejumlah sungai meluap. Polres Kudus "
    "menutup sementara jalan di Kecamatan Undaan yang tergenang setinggi lutut orang dewasa.",
]


def typical_article() -> ArticleItem:
    """The constructed story, its paragraphs repeated until the body has 600 words."""
    body: list[str] = []
    words = 0
    while words < WORDS_PER_ARTICLE:
        for paragraph in PARAGRAPHS:
            body.append(paragraph)
            words += len(paragraph.split())
            if words >= WORDS_PER_ARTICLE:
                break
    return ArticleItem(url="https://example.invalid/banjir-rob", title=TITLE, body=body)


def sentiment_enricher() -> tuple[object | None, str]:
    """The sentiment helper's enricher when its module is installed, else why not."""
    name = "crawler.enrichment.sentiment"
    if importlib.util.find_spec(name) is None:
        return None, f"{name} is not importable"
    module = importlib.import_module(name)
    enricher_class = getattr(module, "SentimentEnricher", None)
    if enricher_class is None:
        return None, f"{name} has no SentimentEnricher"
    try:
        return enricher_class(), ""
    except Exception as error:  # e.g. the model file is not trained yet
        return None, f"{type(error).__name__}: {error}"


def milliseconds_per_call(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """CPU and wall-clock milliseconds per call.

    CPU time is the cost of the enricher itself; wall time also counts waiting for a busy
    machine's processors, so on a loaded machine it is the larger of the two.
    """
    run()  # warm caches (data files, compiled patterns) before timing
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        run()
    cpu = (time.process_time() - cpu_started) * 1000 / repeat
    wall = (time.perf_counter() - wall_started) * 1000 / repeat
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=500, help="articles per measurement")
    args = parser.parse_args()

    load_gazetteer()
    load_party_lexicon()
    article = typical_article()
    words = sum(len(paragraph.split()) for paragraph in article.body)
    print(f"article: {words} words, {len(article.body)} paragraphs")
    enrichers: dict[str, object] = {"regions": RegionEnricher(), "parties": PartyEnricher()}
    sentiment, why_not = sentiment_enricher()
    if sentiment is not None:
        enrichers["sentiment"] = sentiment
    total_cpu = total_wall = 0.0
    for name, enricher in enrichers.items():

        def run(enricher: object = enricher) -> None:
            enricher.enrich(typical_article())  # type: ignore[attr-defined]

        cpu, wall = milliseconds_per_call(run, args.repeat)
        total_cpu += cpu
        total_wall += wall
        print(f"{name:<10} {cpu:.3f} ms CPU per article ({wall:.3f} ms wall clock)")
    if sentiment is None:
        print(f"sentiment  not measured: {why_not}")
    item = typical_article()
    for enricher in enrichers.values():
        enricher.enrich(item)  # type: ignore[attr-defined]
    print(
        f"{'total':<10} {total_cpu:.3f} ms CPU per article ({total_wall:.3f} ms wall clock); "
        "target <= 2 ms"
    )
    print(f"tags: kab_kota={[r.label for r in item.kab_kota]} parties={item.parties}")


if __name__ == "__main__":
    main()
