"""Parse untrusted XML (sitemaps, feeds) without letting it attack the crawler.

Sitemaps and feeds come from servers we do not control. A hostile or broken one can try an XML
external entity (XXE) to make us read local files, an entity-expansion "billion laughs" or a
gzip bomb to exhaust memory, or simply send malformed markup. This module is the one place that
turns such bytes into an lxml tree: entities are never expanded, no DTD or network resource is
ever loaded, sizes are bounded before and after decompression, and a document that declares
entities is rejected outright because no legitimate sitemap or feed needs them.
"""

from __future__ import annotations

import zlib

from lxml import etree

#: Default ceiling for both the raw body and its decompressed form (the sitemaps.org limit).
DEFAULT_MAX_BYTES = 50 * 2**20

GZIP_MAGIC = b"\x1f\x8b"

#: Decompression step: memory used per step is bounded by this, whatever the compression ratio.
_GUNZIP_CHUNK_BYTES = 2**20


class UnsafeOrInvalidXML(ValueError):
    """The body is too large, declares entities (XXE / billion laughs), or is not XML at all."""


def make_safe_parser() -> etree.XMLParser:
    """A fresh lxml parser that never resolves entities, loads a DTD or touches the network.

    `recover=True` because real sitemaps and feeds are often slightly malformed (stray `&`,
    unclosed tags) and most of their URLs are still worth having.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def gunzip_bounded(body: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Decompress gzip (possibly multi-member) in bounded steps, raising past `max_bytes`.

    A truncated stream yields what could be decompressed, as a truncated download of a plain
    sitemap would; corrupt data raises.
    """
    output = bytearray()
    pending = body
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    while True:
        allowance = min(_GUNZIP_CHUNK_BYTES, max_bytes + 1 - len(output))
        try:
            output += decompressor.decompress(pending, allowance)
        except zlib.error as exc:
            raise UnsafeOrInvalidXML(f"corrupt gzip data: {exc}") from exc
        if len(output) > max_bytes:
            raise UnsafeOrInvalidXML(f"decompressed body exceeds {max_bytes} bytes")
        if decompressor.eof:
            pending = decompressor.unused_data
            if not pending.startswith(GZIP_MAGIC):
                return bytes(output)
            decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            continue
        pending = decompressor.unconsumed_tail
        if not pending:
            return bytes(output)


def _declared_entities(root: etree._Element) -> list[str]:
    """Names of entities the document's internal DTD subset declares."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return []
    return [entity.name for entity in dtd.iterentities()]


def parse_xml_safely(
    body: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, problems: list[str] | None = None
) -> etree._Element:
    """Parse a sitemap or feed body (plain or gzipped) into its root element.

    Raises UnsafeOrInvalidXML when the body (or its decompressed form) exceeds `max_bytes`,
    when the document declares any entity (external entities would read local files or the
    network, internal ones can expand exponentially: neither is ever expanded, and the document
    is refused), or when nothing parseable remains even in lxml's recovery mode. What recovery
    mode had to skip (malformed markup, a tree too deep) is appended to `problems`, so callers
    can count a broken document while still using what it held.
    """
    if len(body) > max_bytes:
        raise UnsafeOrInvalidXML(f"body of {len(body)} bytes exceeds {max_bytes} bytes")
    if body.startswith(GZIP_MAGIC):
        body = gunzip_bounded(body, max_bytes=max_bytes)
    body = body.lstrip(b" \t\r\n")
    if not body:
        raise UnsafeOrInvalidXML("empty body")
    parser = make_safe_parser()
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise UnsafeOrInvalidXML(f"unparseable XML: {exc}") from exc
    if root is None:
        raise UnsafeOrInvalidXML("unparseable XML: no root element")
    entities = _declared_entities(root)
    if entities:
        raise UnsafeOrInvalidXML(f"document declares entities {entities[:5]}; refused")
    if problems is not None:
        problems.extend(
            f"line {error.line}: {error.message}"
            for error in parser.error_log
            if error.level >= etree.ErrorLevels.ERROR
        )
    return root
