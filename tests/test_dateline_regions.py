from crawler.enrichment.dateline_regions import DatelineRegionEnricher
from crawler.enrichment.gazetteer import dateline_index, load_kabkota
from crawler.items import ArticleItem


def test_gazetteer_has_the_35_kabupaten_kota():
    regions = load_kabkota()
    assert len(regions) == 35
    assert len({r.code for r in regions}) == 35
    assert sum(r.name.startswith("Kota ") for r in regions) == 6


def test_bare_pair_names_are_the_kota_and_seats_are_the_kabupaten():
    index = dateline_index()
    assert index["SEMARANG"].name == "Kota Semarang"
    assert index["UNGARAN"].label == "Kab. Semarang"
    assert index["MUNGKID"].code == "33.08"
    assert index["SOLO"].label == "Surakarta"
    assert index["PURWOKERTO"].name == "Kabupaten Banyumas"


def test_enricher_tags_the_dateline_region_first_once():
    item = ArticleItem(url="https://x", dateline="Semarang")
    enricher = DatelineRegionEnricher()
    enricher.enrich(item)
    enricher.enrich(item)
    assert [r.label for r in item.kab_kota] == ["Semarang"]
    assert item.extraction["kab_kota"] == "dateline"


def test_enricher_ignores_places_outside_central_java():
    item = ArticleItem(url="https://x", dateline="JAKARTA")
    DatelineRegionEnricher().enrich(item)
    assert item.kab_kota == []
