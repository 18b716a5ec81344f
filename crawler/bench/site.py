"""The benchmark's fixture site: thousands of constructed Espos-style article pages.

Constructed text throughout; the page structure (JSON-LD NewsArticle, Open Graph and article
meta tags, ``h1.post-title``, ``.post-meta``, ``.post-content`` with a dateline, "Baca juga"
boxes, ads, captions and an editor line, then tags and related links) follows
../shared/research/outlets.md §1 and tests/sites/espos/. Real news pages weigh about 100 KB
mostly because of what surrounds the story: navigation menus, inline configuration and
tracking scripts, SVG icons, related-article lists and a long footer. Those are generated
here too, so the crawler parses pages of realistic size and shape, not bare stories.

Layout on disk (what ``crawler.bench.server`` serves, routing on the ``Host`` header)::

    <site>/<host>/robots.txt, <site>/www.espos.id/sitemap.xml (index) and sitemap-posts-<n>.xml
    <site>/<host>/<slug>-<id>.html   the article at https://<host>/<slug>-<id>
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from crawler.utils.timezones import WIB

#: Article hosts of the outlet; articles are spread over them as on the real site.
ARTICLE_HOSTS = ("solopos.espos.id", "regional.espos.id", "bisnis.espos.id", "www.espos.id")
DISCOVERY_HOST = "www.espos.id"
#: Sitemap files hold at most this many URLs each (well under the protocol's 50,000).
URLS_PER_SITEMAP = 1000
FIRST_ARTICLE_ID = 3_000_000
#: Publication times run back from here, one article every few minutes.
NEWEST_PUBLISHED = datetime(2025, 7, 20, 21, 0, tzinfo=WIB)
MINUTES_BETWEEN_ARTICLES = 7
#: Page weight aimed at, in bytes, and the story length in paragraphs.
TARGET_PAGE_BYTES = 100_000
PARAGRAPHS_PER_STORY = (9, 16)

#: (dateline place, region words used in the story) of Central Java kabupaten/kota.
PLACES = (
    ("SOLO", "Kota Solo", "Pemkot Solo", "Wali Kota Solo"),
    ("SRAGEN", "Kabupaten Sragen", "Pemkab Sragen", "Bupati Sragen"),
    ("KLATEN", "Kabupaten Klaten", "Pemkab Klaten", "Bupati Klaten"),
    ("BOYOLALI", "Kabupaten Boyolali", "Pemkab Boyolali", "Bupati Boyolali"),
    ("SUKOHARJO", "Kabupaten Sukoharjo", "Pemkab Sukoharjo", "Bupati Sukoharjo"),
    ("KARANGANYAR", "Kabupaten Karanganyar", "Pemkab Karanganyar", "Bupati Karanganyar"),
    ("WONOGIRI", "Kabupaten Wonogiri", "Pemkab Wonogiri", "Bupati Wonogiri"),
    ("SEMARANG", "Kota Semarang", "Pemkot Semarang", "Wali Kota Semarang"),
    ("DEMAK", "Kabupaten Demak", "Pemkab Demak", "Bupati Demak"),
    ("KUDUS", "Kabupaten Kudus", "Pemkab Kudus", "Bupati Kudus"),
    ("JEPARA", "Kabupaten Jepara", "Pemkab Jepara", "Bupati Jepara"),
    ("MAGELANG", "Kota Magelang", "Pemkot Magelang", "Wali Kota Magelang"),
    ("PURWOKERTO", "Kabupaten Banyumas", "Pemkab Banyumas", "Bupati Banyumas"),
    ("TEGAL", "Kota Tegal", "Pemkot Tegal", "Wali Kota Tegal"),
    ("PEKALONGAN", "Kota Pekalongan", "Pemkot Pekalongan", "Wali Kota Pekalongan"),
    ("SALATIGA", "Kota Salatiga", "Pemkot Salatiga", "Wali Kota Salatiga"),
)
TOPICS = (
    ("Pasar Murah Digelar di {n} Kecamatan untuk Tekan Inflasi", "Ekonomi"),
    ("Debit Air Menyusut, Petani Diminta Atur Jadwal Tanam", "Pertanian"),
    ("Jalan Rusak Sepanjang {n} Km Mulai Diperbaiki Pekan Depan", "Infrastruktur"),
    ("Festival Kuliner Hadirkan {n} Pelaku UMKM", "Gaya Hidup"),
    ("Ratusan Warga Antre Vaksinasi di Puskesmas", "Kesehatan"),
    ("DPRD Minta Anggaran Banjir Ditambah {n} Persen", "Politik"),
    ("Harga Cabai Rawit Naik Jadi Rp{n}.000 per Kilogram", "Bisnis"),
    ("Sekolah Rusak Diterjang Angin, {n} Kelas Tak Bisa Dipakai", "Pendidikan"),
)
PEOPLE = (
    "Rahmat Hidayat",
    "Siti Nurjanah",
    "Bambang Setiawan",
    "Dwi Lestari",
    "Agus Prasetyo",
    "Endah Purwaningsih",
    "Joko Santoso",
    "Rina Marlina",
    "Hendra Wijaya",
    "Tri Wahyuni",
)
PARTIES = ("PDI Perjuangan", "Partai Golkar", "Partai Gerindra", "PKB", "PKS", "Partai Demokrat")
#: Sentences of the story; placeholders are filled per article.
SENTENCES = (
    "{gov} menggelar kegiatan itu secara bergiliran mulai {day} ({date}).",
    "Kepala dinas setempat, {person}, mengatakan persiapan sudah dilakukan sejak sepekan lalu.",
    "Warga di {region} menyambut baik langkah tersebut karena harga kebutuhan pokok terus naik.",
    "\u201cKami ingin semua warga kebagian, jadi cukup menunjukkan KTP,\u201d kata {person}.",
    "Anggota DPRD dari {party} meminta program serupa digelar rutin setiap bulan.",
    "{head} meninjau lokasi didampingi camat dan kepala desa setempat.",
    "Menurut dia, anggaran kegiatan berasal dari APBD perubahan tahun ini.",
    "Petugas kepolisian berjaga di sekitar lokasi untuk mengatur arus lalu lintas.",
    "Sejumlah pedagang mengaku omzet mereka naik hingga {n} persen selama kegiatan berlangsung.",
    "Jadwal lengkap diumumkan melalui akun media sosial resmi {gov}.",
    "Hujan deras sejak sore membuat sebagian acara dipindahkan ke dalam gedung.",
    "Pemerintah provinsi berjanji membantu bila kebutuhan dana melebihi perkiraan awal.",
)
NAV_SECTIONS = (
    "Solo Raya",
    "Jateng",
    "Jatim",
    "Nasional",
    "Bisnis",
    "Sport",
    "Otomotif",
    "Lifestyle",
    "Teknologi",
    "Kuliner",
    "Wisata",
    "Kesehatan",
    "Pendidikan",
    "Hukum",
    "Politik",
    "Opini",
)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class BenchArticle:
    """One constructed article: where it lives and what discovery says about it."""

    number: int
    host: str
    slug: str
    published: datetime

    @property
    def article_id(self) -> int:
        return FIRST_ARTICLE_ID + self.number

    @property
    def path(self) -> str:
        return f"/{self.slug}-{self.article_id}"

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"


@dataclass(frozen=True)
class BenchSite:
    """A built site: its directory and articles, and the window that covers them all."""

    directory: Path
    articles: tuple[BenchArticle, ...]

    @property
    def hosts(self) -> tuple[str, ...]:
        return ARTICLE_HOSTS

    @property
    def since(self) -> datetime:
        return min(article.published for article in self.articles) - timedelta(days=1)

    @property
    def until(self) -> datetime:
        return max(article.published for article in self.articles) + timedelta(days=1)

    def page_file(self, article: BenchArticle) -> Path:
        return self.directory / article.host / f"{article.path.lstrip('/')}.html"


def slugify(title: str) -> str:
    words = "".join(c.lower() if c.isalnum() else " " for c in title).split()
    return "-".join(words)


def plan_articles(pages: int, seed: int = 9) -> tuple[BenchArticle, ...]:
    """Which articles the site holds (deterministic for a seed), newest first."""
    chooser = random.Random(seed)
    articles = []
    for number in range(pages):
        place = PLACES[number % len(PLACES)]
        topic, _ = TOPICS[chooser.randrange(len(TOPICS))]
        title = f"{place[2]} {topic.format(n=chooser.randint(2, 60))}"
        articles.append(
            BenchArticle(
                number=number,
                host=ARTICLE_HOSTS[number % len(ARTICLE_HOSTS)],
                slug=slugify(title),
                published=NEWEST_PUBLISHED - timedelta(minutes=MINUTES_BETWEEN_ARTICLES * number),
            )
        )
    return tuple(articles)


def indonesian_date(moment: datetime) -> str:
    return f"{DAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def story(article: BenchArticle, chooser: random.Random) -> tuple[str, str, list[str], str]:
    """(title, section, paragraphs, author) of an article; the first paragraph has the dateline."""
    place = PLACES[article.number % len(PLACES)]
    title = " ".join(word.capitalize() for word in article.slug.split("-"))
    section = TOPICS[article.number % len(TOPICS)][1]
    person = chooser.choice(PEOPLE)
    values = {
        "gov": place[2],
        "region": place[1],
        "head": place[3],
        "person": person,
        "party": chooser.choice(PARTIES),
        "day": DAYS[article.published.weekday()],
        "date": f"{article.published.day}/{article.published.month}/{article.published.year}",
        "n": chooser.randint(3, 90),
    }
    paragraphs = []
    for index in range(chooser.randint(*PARAGRAPHS_PER_STORY)):
        sentences = chooser.sample(SENTENCES, 3)
        text = " ".join(sentence.format(**values) for sentence in sentences)
        if index == 0:
            text = f"Esposin, {place[0]} \u2014 {text}"
        paragraphs.append(text)
    return title, section, paragraphs, chooser.choice(PEOPLE)


def navigation() -> str:
    """The site's header: mega-menu of sections with sub-links and inline SVG icons."""
    icon = (
        '<svg class="icon" viewBox="0 0 24 24" width="16" height="16"><path d="M12 2C6.48 2 2 '
        "6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm0 18c-4.41 0-8-3.59-8-8s3.59-8 8-8 "
        '8 3.59 8 8-3.59 8-8 8z"/></svg>'
    )
    items = []
    for section in NAV_SECTIONS:
        slug = slugify(section)
        subs = "".join(
            f'<li><a href="https://www.espos.id/{slug}/sub-{n}">{section} {n}</a></li>'
            for n in range(1, 9)
        )
        items.append(
            f'<li class="menu-item"><a href="https://www.espos.id/{slug}">{icon}{section}</a>'
            f'<ul class="sub-menu">{subs}</ul></li>'
        )
    return (
        '<header class="site-header"><div class="topbar"><div class="topbar-date">'
        f'{indonesian_date(NEWEST_PUBLISHED)}</div><a class="logo" href="https://www.espos.id/">'
        f'Espos.id</a></div><nav class="main-nav"><ul class="menu">{"".join(items)}</ul></nav>'
        "</header>"
    )


def inline_scripts(article: BenchArticle, chooser: random.Random) -> str:
    """Configuration, consent, ad-slot and analytics scripts of the kind news pages inline."""
    slots = [
        {
            "slot": f"/21{chooser.randint(10**7, 10**8)}/espos/{name}",
            "sizes": [[300, 250], [336, 280], [728, 90], [970, 250]],
            "targeting": {"section": NAV_SECTIONS[n % len(NAV_SECTIONS)], "pos": n},
        }
        for n, name in enumerate(
            [
                "top",
                "billboard",
                "sidebar-1",
                "sidebar-2",
                "in-article-1",
                "in-article-2",
                "sticky",
                "footer",
                "interstitial",
                "native-1",
                "native-2",
                "outstream",
            ]
        )
    ]
    config = {
        "postId": article.article_id,
        "url": article.url,
        "adSlots": slots,
        "dictionary": {f"label_{n}": f"Teks antarmuka nomor {n}" for n in range(150)},
    }
    tracker = "".join(
        f"window.dataLayer.push({{'event':'scroll_{n}','depth':{n * 5},'postId':"
        f"{article.article_id}}});"
        for n in range(40)
    )
    return (
        f"<script>window.__ESPOS_CONFIG__ = {json.dumps(config)};</script>"
        f"<script>window.dataLayer = window.dataLayer || [];{tracker}</script>"
        '<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>'
        "<style>.post-content p{margin:0 0 1em}.menu-item{display:inline-block}"
        ".sub-menu{display:none}.ads{min-height:250px}.related li{list-style:none}</style>"
    )


def related_block(article: BenchArticle, plan: tuple[BenchArticle, ...], room: int) -> str:
    """Links to other articles (with thumbnails) filling about ``room`` bytes."""
    links = []
    used = 0
    offset = 1
    while used < room:
        other = plan[(article.number + offset) % len(plan)]
        title = " ".join(word.capitalize() for word in other.slug.split("-"))
        link = (
            f'<li><a href="{other.url}"><img src="https://imgcdn.espos.id/thumb/{other.article_id}'
            f'.jpg" alt="{escape(title)}" loading="lazy"><span>{escape(title)}</span></a></li>'
        )
        links.append(link)
        used += len(link)
        offset += 1
    return f'<aside class="related"><h3>Berita Terkait</h3><ul>{"".join(links)}</ul></aside>'


def footer() -> str:
    columns = "".join(
        f'<div class="footer-col"><h4>{section}</h4><ul>'
        + "".join(
            f'<li><a href="https://www.espos.id/{slugify(section)}/arsip-{n}">Arsip {section} '
            f"{n}</a></li>"
            for n in range(1, 13)
        )
        + "</ul></div>"
        for section in NAV_SECTIONS
    )
    return (
        f'<footer class="site-footer">{columns}<p>Espos.id, Griya Solopos, Jl. Adisucipto, '
        "Solo, Jawa Tengah. Hak cipta dilindungi undang-undang.</p></footer>"
    )


def article_page(
    article: BenchArticle, plan: tuple[BenchArticle, ...], chrome: str, tail: str
) -> str:
    """The whole HTML page of one article, padded with related lists to about 100 KB."""
    chooser = random.Random(article.article_id)
    title, section, paragraphs, author = story(article, chooser)
    published = article.published.isoformat()
    description = escape(paragraphs[0][:150], {'"': "&quot;"})
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.url},
        "headline": title,
        "image": [f"https://imgcdn.espos.id/images/{article.article_id}.jpg"],
        "datePublished": published,
        "dateModified": published,
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": "Espos.id"},
        "articleSection": section,
        "keywords": f"{PLACES[article.number % len(PLACES)][1]}, {section}",
        "inLanguage": "id",
    }
    body_parts = []
    for index, paragraph in enumerate(paragraphs):
        body_parts.append(f"<p>{escape(paragraph)}</p>")
        if index == 2:
            other = plan[(article.number + 7) % len(plan)]
            body_parts.append(
                f'<div class="baca-juga"><strong>Baca Juga:</strong> <a href="{other.url}">'
                f"{other.slug.replace('-', ' ')}</a></div>"
            )
        if index == 4:
            body_parts.append('<div class="ads"><ins class="adsbygoogle"></ins></div>')
    body_parts.append(f"<p>Editor: {chooser.choice(PEOPLE)}</p>")
    head = (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        "<!-- Constructed benchmark page; structure modelled on ../shared/research/outlets.md "
        "§1 (Espos.id) -->\n"
        f"<title>{escape(title)} - Espos Indonesia dari Solo untuk Indonesia</title>\n"
        f'<link rel="canonical" href="{article.url}">\n'
        '<meta property="og:type" content="article">\n'
        '<meta property="og:site_name" content="Espos.id">\n'
        f'<meta property="og:title" content="{escape(title)}">\n'
        f'<meta property="og:url" content="{article.url}">\n'
        f'<meta name="description" content="{description}">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<meta property="article:section" content="{section}">\n'
        f'<meta name="author" content="{author}">\n'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>\n'
        f"{inline_scripts(article, chooser)}\n</head>\n<body>\n"
    )
    story_html = (
        f'<main class="container"><article class="post"><div class="breadcrumb">'
        f'<a href="https://www.espos.id/">Home</a> / <a href="https://www.espos.id/'
        f'{slugify(section)}">{section}</a></div>'
        f'<h1 class="post-title">{escape(title)}</h1>'
        f'<div class="post-meta">by {author} - Espos.id Solopos - '
        f"{indonesian_date(article.published)} - {article.published:%H:%M} WIB</div>"
        f'<figure class="post-image"><img src="https://imgcdn.espos.id/images/'
        f'{article.article_id}.jpg" alt="{escape(title)}"><figcaption>ESPOS.ID - Suasana '
        f"kegiatan. (Espos/{author})</figcaption></figure>"
        f'<div class="post-content">{"".join(body_parts)}</div>'
        f'<div class="post-tags"><span>Tag:</span><a href="https://espos.id/tag/'
        f'{slugify(section)}">{section}</a></div></article>'
    )
    page = head + chrome + story_html
    room = TARGET_PAGE_BYTES - len((page + tail).encode())
    return page + related_block(article, plan, room) + "</main>" + tail


def robots_txt() -> str:
    return f"User-agent: *\nAllow: /\nSitemap: https://{DISCOVERY_HOST}/sitemap.xml\n"


def sitemap_files(articles: tuple[BenchArticle, ...]) -> dict[str, str]:
    """File name to content: the sitemap index and its URL sets."""
    files = {}
    index_entries = []
    for start in range(0, len(articles), URLS_PER_SITEMAP):
        name = f"sitemap-posts-{start // URLS_PER_SITEMAP + 1}.xml"
        chunk = articles[start : start + URLS_PER_SITEMAP]
        urls = "".join(
            f"<url><loc>{escape(a.url)}</loc><lastmod>{a.published.isoformat()}</lastmod></url>\n"
            for a in chunk
        )
        files[name] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n"
        )
        index_entries.append(f"<sitemap><loc>https://{DISCOVERY_HOST}/{name}</loc></sitemap>\n")
    files["sitemap.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{''.join(index_entries)}</sitemapindex>\n"
    )
    return files


EMPTY_FEED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Espos.id'
    "</title><link>https://www.espos.id/</link><description>Berita</description></channel></rss>\n"
)
EMPTY_LISTING = "<!DOCTYPE html><html><head><title>Indeks</title></head><body></body></html>\n"


def build_site(directory: Path, pages: int, *, seed: int = 9) -> BenchSite:
    """Write the site of ``pages`` articles under ``directory`` and describe it."""
    articles = plan_articles(pages, seed)
    for host in ARTICLE_HOSTS:
        (directory / host).mkdir(parents=True, exist_ok=True)
        (directory / host / "robots.txt").write_text(robots_txt(), encoding="utf-8")
    discovery = directory / DISCOVERY_HOST
    for name, content in sitemap_files(articles).items():
        (discovery / name).write_text(content, encoding="utf-8")
    (discovery / "feed.xml").write_text(EMPTY_FEED, encoding="utf-8")
    (discovery / "indeks.html").write_text(EMPTY_LISTING, encoding="utf-8")
    site = BenchSite(directory, articles)
    chrome = navigation()
    tail = footer() + "\n</body>\n</html>\n"
    for article in articles:
        site.page_file(article).write_text(
            article_page(article, articles, chrome, tail), encoding="utf-8"
        )
    return site
