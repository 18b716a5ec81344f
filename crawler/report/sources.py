"""Where the report finds delivered JSON Lines: local folders or files, or ``s3://bucket/prefix``.

Feeds accumulate for years, so a daily report must not read them all: a file last modified
before the report's first day (less a day's margin for clocks and late-night runs) was complete
before any article of the range was published, and is skipped unread. Hidden files are
skipped too: they are feeds still being written (``.<name>.<pid>.part``, crawler.store.feeds).
"""

from __future__ import annotations

import gzip
import io
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

#: Names of JSON Lines feed files: plain and gzipped (GzipPlugin), as Scrapy writes them.
JSON_LINES_SUFFIXES = (".jsonl", ".jsonl.gz", ".jl", ".jl.gz")
S3_SCHEME = "s3"


class ReportSourceError(Exception):
    """A source that cannot be listed at all (missing folder, unreachable bucket)."""


@dataclass(frozen=True)
class SourceFile:
    """One JSON Lines file: its name for messages, when it was last written, its content."""

    name: str
    modified: datetime
    _read: Any = field(repr=False, compare=False)

    def lines(self) -> Iterator[bytes]:
        """The lines as bytes (gunzipped for ``.gz``), without line ends; may raise OSError."""
        yield from self._read()


@dataclass
class Listing:
    """The files to read from one source, and how many were skipped as too old."""

    files: list[SourceFile]
    skipped_old: int = 0


def is_json_lines(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return not base.startswith(".") and base.endswith(JSON_LINES_SUFFIXES)


def list_source(
    source: str, *, modified_since: datetime | None, s3_options: Mapping[str, Any] | None = None
) -> Listing:
    """The JSON Lines files of a folder, a file or an ``s3://bucket/prefix``."""
    if urlsplit(source).scheme == S3_SCHEME:
        files = list(_s3_files(source, dict(s3_options or {})))
    else:
        files = list(_local_files(Path(source)))
    kept = [f for f in files if modified_since is None or f.modified >= modified_since]
    return Listing(files=kept, skipped_old=len(files) - len(kept))


def _local_files(path: Path) -> Iterator[SourceFile]:
    if path.is_file():
        candidates = [path]
    elif path.is_dir():
        candidates = sorted(p for p in path.rglob("*") if p.is_file() and is_json_lines(str(p)))
    else:
        raise ReportSourceError(f"{path}: no such file or folder")
    for candidate in candidates:
        modified = datetime.fromtimestamp(candidate.stat().st_mtime, tz=UTC)
        yield SourceFile(str(candidate), modified, _local_reader(candidate))


def _local_reader(path: Path) -> Any:
    def read() -> Iterator[bytes]:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as stream:
            for line in stream:
                yield line.rstrip(b"\r\n")

    return read


def _s3_files(source: str, client_options: dict[str, Any]) -> Iterator[SourceFile]:
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise ReportSourceError(
            f"{source}: reading S3 needs the s3 extra (pip install -e '.[s3]')"
        ) from None
    parts = urlsplit(source)
    bucket, prefix = parts.netloc, parts.path.lstrip("/")
    if not bucket:
        raise ReportSourceError(f"{source}: no bucket name (s3://bucket/prefix)")
    client = boto3.session.Session().client("s3", **client_options)
    try:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        objects = [obj for page in pages for obj in page.get("Contents", [])]
    except (BotoCoreError, ClientError) as error:
        raise ReportSourceError(f"{source}: cannot list the bucket: {error}") from None
    for obj in objects:
        key = obj["Key"]
        if is_json_lines(key):
            yield SourceFile(
                f"s3://{bucket}/{key}", obj["LastModified"], _s3_reader(client, bucket, key)
            )


def _s3_reader(client: Any, bucket: str, key: str) -> Any:
    from botocore.exceptions import BotoCoreError, ClientError

    def read() -> Iterator[bytes]:
        try:
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except (BotoCoreError, ClientError) as error:
            raise OSError(f"cannot read s3://{bucket}/{key}: {error}") from None
        if key.endswith(".gz"):
            body = gzip.GzipFile(fileobj=io.BytesIO(body)).read()
        yield from body.splitlines()

    return read
