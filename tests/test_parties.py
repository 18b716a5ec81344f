"""Party tagger: canonical names, and one named test per collision of regions.md section D.

Every text here is constructed (our own sentences in the style of Central Java news).
"""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from crawler.enrichment.parties import PartyEnricher, tag_parties
from crawler.items import ArticleItem


def parties(body: str, title: str | None = None) -> list[str]:
    return [tag.name for tag in tag_parties(title, [body])]


# --- the party list ------------------------------------------------------------------------


def test_the_18_national_parties_with_canonical_names():
    data = json.loads(files("crawler.data").joinpath("parties.json").read_text(encoding="utf-8"))
    canonical = [party["canonical"] for party in data["parties"]]
    assert len(canonical) == len(set(canonical)) == 18
    assert {"PDI Perjuangan", "Gerindra", "PKB", "Partai Ummat"} <= set(canonical)
    assert sorted(p["number"] for p in data["parties"]) == [*range(1, 18), 24]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Partai Kebangkitan Bangsa menggelar harlah.", "PKB"),
        ("Gerindra menggelar rapat koordinasi.", "Gerindra"),
        ("PDIP membuka pendaftaran bakal calon.", "PDI Perjuangan"),
        ("Fraksi PDI-P meminta evaluasi.", "PDI Perjuangan"),
        ("Partai Banteng menguasai kursi dewan.", "PDI Perjuangan"),
        ("Golkar mengusung kader sendiri.", "Golkar"),
        ("Nasdem menargetkan tambahan kursi.", "NasDem"),
        ("Partai Buruh mendukung kenaikan upah.", "Partai Buruh"),
        ("Partai Gelora melantik pengurus.", "Partai Gelora"),
        ("Partai Keadilan Sejahtera membagikan takjil.", "PKS"),
        ("Partai Kebangkitan Nusantara menyosialisasikan program.", "PKN"),
        ("Hanura menggelar konsolidasi.", "Hanura"),
        ("Partai Garuda menyerahkan berkas.", "Partai Garuda"),
        ("Partai Amanat Nasional mengusung petahana.", "PAN"),
        ("Partai Bulan Bintang mendaftarkan bacaleg.", "PBB"),
        ("Partai Demokrat menggelar rapimda.", "Demokrat"),
        ("Partai Solidaritas Indonesia membuka kantor.", "PSI"),
        ("Perindo menggelar pelatihan UMKM.", "Perindo"),
        ("Partai Ka'bah menargetkan fraksi sendiri.", "PPP"),
        ("Partai Ummat menggelar musyawarah.", "Partai Ummat"),
    ],
)
def test_names_and_nicknames_map_to_the_canonical_name(text, expected):
    assert parties(text) == [expected]


def test_headline_in_capitals():
    assert parties("Kedua partai berkoalisi.", title="GERINDRA DAN PDIP SEPAKAT") == [
        "Gerindra",
        "PDI Perjuangan",
    ]


# --- guarded forms need party context ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DPC PKB Kabupaten Demak menyalurkan bantuan.", "PKB"),
        ("Fraksi PKS menyoroti anggaran pendidikan.", "PKS"),
        ("Ratusan kader PAN ikut kerja bakti.", "PAN"),
        ("DPW PPP Jawa Tengah menggelar muswil.", "PPP"),
        ("DPD Demokrat Jawa Tengah memanggil pengurus.", "Demokrat"),
        ("Seorang caleg PSI blusukan ke pasar.", "PSI"),
        ("Ketua Umum PBB menghadiri pelantikan.", "PBB"),
        ("Kader PKN ikut sosialisasi pemilu.", "PKN"),
        ("DPW Gelora menyiapkan saksi.", "Partai Gelora"),
        ("DPP Garuda mengumumkan calon.", "Partai Garuda"),
        ("Kader muda PKB menggelar diskusi.", "PKB"),
    ],
)
def test_guarded_form_with_party_context(text, expected):
    assert parties(text) == [expected]


def test_fraction_forms_are_party_context():
    assert parties("FPKB mengusulkan perda pesantren, F-PPP mendukung.") == ["PKB", "PPP"]


def test_guarded_forms_in_an_enumeration_with_a_party():
    assert parties("PDIP, PKB, dan PKS sepakat mengusung satu pasangan.") == [
        "PDI Perjuangan",
        "PKB",
        "PKS",
    ]
    assert parties("Fraksi gabungan Hanura/PSI/Perindo terbentuk.") == ["Hanura", "PSI", "Perindo"]


def test_two_guarded_forms_side_by_side_are_no_party():
    assert parties("Penerimaan PKB dan PBB naik tahun ini.") == []


def test_parties_are_ordered_by_mentions():
    text = "PDIP kedua. Gerindra pertama. Ketua Gerindra bersyukur."
    assert parties(text) == ["Gerindra", "PDI Perjuangan"]


# --- collisions (regions.md section D) -----------------------------------------------------


def test_pkb_motor_vehicle_tax_is_not_the_party():
    assert parties("Penerimaan pajak kendaraan bermotor (PKB) melampaui target.") == []
    assert parties("Samsat keliling melayani pembayaran PKB dan BBNKB.") == []


def test_pkb_vehicle_test_is_not_the_party():
    assert parties("Pengujian Kendaraan Bermotor (PKB) digratiskan.") == []


def test_pkb_party_and_pkb_tax_in_one_article():
    assert parties("Fraksi PKB meminta diskon PKB bagi ojek daring.") == ["PKB"]


def test_pbb_land_tax_is_not_the_party():
    assert parties("Warga antre membayar PBB di kantor kelurahan.") == []
    assert parties("Target penerimaan PBB-P2 naik.") == []


def test_pbb_united_nations_is_not_the_party():
    assert parties("Sekjen PBB menyerukan gencatan senjata.") == []
    assert parties("Menteri berbicara di Majelis Umum PBB.") == []


def test_pks_cooperation_agreement_is_not_the_party():
    assert parties("Pemkab dan kampus menandatangani perjanjian kerja sama (PKS).") == []


def test_pan_rb_ministry_of_the_seed_is_not_pan():
    text = "kebijakan tersebut telah diizinkan melalui Peraturan Menteri PAN-RB Nomor 4 Tahun 2025."
    assert parties(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Kementerian PAN-RB mengumumkan formasi.",
        "Menteri PAN RB meninjau mal pelayanan.",
        "Surat edaran Menteri PAN dan RB terbit.",
        "KemenPANRB memberi penghargaan.",
    ],
)
def test_pan_rb_spellings_are_not_pan(text):
    assert parties(text) == []


def test_pan_the_cooking_pan_is_not_pan():
    assert parties("Panaskan minyak di pan datar.") == []


def test_pan_party_next_to_pan_rb():
    assert parties("Kader PAN mengkritik aturan Kementerian PAN-RB.") == ["PAN"]


def test_ppp_public_private_partnership_is_not_the_party():
    assert parties("Proyek air minum memakai skema PPP atau KPBU.") == []
    assert parties("Fraksi PPP mengkritik skema PPP proyek air minum.") == ["PPP"]


def test_garuda_airline_team_and_emblem_are_not_the_party():
    assert parties("Garuda Indonesia menambah penerbangan.") == []
    assert parties("Timnas Garuda menang tipis.") == []
    assert parties("Siswa belajar makna Garuda Pancasila.") == []
    assert parties("Relawan menyebut Jawa Tengah Sarang Garuda.") == []


def test_gelora_stadium_and_word_are_not_the_party():
    assert parties("Final digelar di Gelora Bung Karno.") == []
    assert parties("Gelora semangat pemuda terasa.", title="Gelora Semangat Pemuda") == []


def test_buruh_workers_are_not_partai_buruh():
    assert parties("Ribuan buruh berdemonstrasi.", title="Buruh Pabrik Terima THR") == []
    assert parties("Partai Buruh mendampingi buruh yang di-PHK.") == ["Partai Buruh"]


def test_umat_and_ummat_are_not_partai_ummat():
    assert parties("Umat Islam menggelar salat istisqa.") == []
    assert parties("Tokoh agama meminta ummat menjaga kerukunan.") == []


def test_us_democrats_and_the_adjective_are_not_demokrat():
    assert parties("Kandidat Partai Demokrat AS berkampanye di Michigan.") == []
    assert parties("Sekolah melatih siswa bersikap demokratis.") == []
    assert parties("Demokrat mempertahankan mayoritas di Senat.") == []


def test_psi_pressure_and_psis_club_are_not_psi():
    assert parties("Tekanan ban sebaiknya 32 psi.") == []
    assert parties("Kompresor mencapai 120 PSI.") == []
    assert parties("PSIS menang di kandang.") == []


def test_pkn_civics_and_campus_are_not_pkn():
    assert parties("Guru PPKn mengajak siswa ke DPRD.") == []
    assert parties("Nilai PKn siswa meningkat.") == []
    assert parties("Alumni PKN STAN mengajar di desa.") == []


def test_old_pdi_banteng_beringin_matahari_mercy_alone_are_no_party():
    assert parties("Peristiwa itu terjadi di kantor DPP PDI tahun 1996.") == []
    assert parties("Seekor banteng jawa lahir di taman nasional.") == []
    assert parties("Pohon beringin tua di alun-alun ditopang.") == []
    assert parties("Matahari Department Store menutup gerai.") == []
    assert parties("Mobil Mercy antik dipamerkan.") == []


def test_gerinda_grinder_is_not_gerindra():
    assert parties("Pekerja terluka terkena mesin gerinda.", title="Harga Mesin Gerinda") == []


# --- enricher ------------------------------------------------------------------------------


def test_enricher_sets_canonical_parties_and_names_itself():
    item = ArticleItem(url="https://x", title="Koalisi", body=["PDIP dan Gerindra berkoalisi."])
    PartyEnricher().enrich(item)
    assert item.parties == ["PDI Perjuangan", "Gerindra"]
    assert item.extraction["parties"] == "party-tagger"


def test_enricher_leaves_items_without_parties_alone():
    item = ArticleItem(url="https://x", body=["Penerimaan PKB naik."])
    PartyEnricher().enrich(item)
    assert item.parties == [] and "parties" not in item.extraction


# --- political stories, spelled-out acronyms ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Golkar meraih tujuh kursi, disusul PKB 4 kursi dan PSI satu kursi.",
            {"Golkar", "PKB", "PSI"},
        ),
        (
            "Fraksi Amanat Persatuan di DPRD merupakan gabungan PAN dan PPP.",
            {"PAN", "PPP"},
        ),
        ("Pasangan itu diusung PDIP dan Gerindra di pilkada.", {"PDI Perjuangan", "Gerindra"}),
        (
            "Daftar bakal calon: Ani (Politisi Partai GELORA), Budi (Politisi Partai PRIMA).",
            {"Partai Gelora", "Partai Prima"},
        ),
        ("Kader PKS dan PKB membahas rekomendasi pencalonan di kantor DPC.", {"PKS", "PKB"}),
    ],
)
def test_acronyms_written_bare_in_a_political_story_count(text: str, expected: set[str]):
    assert set(parties(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pemprov memberi pemutihan pajak kendaraan bermotor (PKB). Bayar PKB di samsat terdekat.",
        "Evaluasi Perjanjian Kerja Sama (PKS) dengan BPJS digelar. PKS itu berlaku dua tahun.",
        "Warga diminta melunasi PBB (Pajak Bumi dan Bangunan) sebelum jatuh tempo.",
    ],
)
def test_acronyms_spelled_out_as_something_else_stay_out(text: str):
    assert parties(text) == []


def test_an_acronym_spelled_out_otherwise_stays_out_even_in_a_political_story():
    text = (
        "Ketua DPRD dari Golkar meminta pemutihan pajak kendaraan bermotor (PKB) diperpanjang "
        "karena penerimaan PKB turun. Fraksi lain di kursi dewan setuju."
    )
    assert parties(text) == ["Golkar"]


def test_an_acronym_listed_with_one_in_another_sense_stays_out():
    text = "Fraksi PKB meminta Bapenda menunda penagihan PKB dan PBB bagi warga korban banjir."
    assert parties(text) == ["PKB"]
