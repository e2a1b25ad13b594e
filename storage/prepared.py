"""What storing a page computes from its bytes alone, with no database: the body's hash and
gzip, the article's content hash and MinHash. Extraction workers compute it (`extract_step`)
so the one process that writes only writes; storing computes it itself when handed none,
with these same functions, so the stored bytes never depend on who computed them."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

from extractors.article import Article
from storage.convert import article_values, content_hash
from storage.errors import StorageError
from storage.similarity import signature


@dataclass(frozen=True, slots=True)
class StoredBody:
    """A raw page body as `pages` keeps it."""

    sha256: str
    gzipped: bytes


@dataclass(frozen=True, slots=True)
class ArticleDigest:
    """An article's content hash and MinHash. The hash covers the canonical URL, which
    storing may change (`own_key`): it is used only while the article keeps this key."""

    canonical_url: str
    content_hash: str
    minhash: bytes | None


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def compress(body: bytes) -> bytes:
    """gzip with a fixed mtime: the same body always gives the same stored bytes."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def stored_body(body: bytes) -> StoredBody:
    return StoredBody(body_sha256(body), compress(body))


def article_digest(article: Article) -> ArticleDigest | None:
    """None when storing will refuse the article anyway (it then names the bad field)."""
    try:
        values = article_values(article)
    except StorageError:
        return None
    return ArticleDigest(values["canonical_url"], content_hash(values), signature(values["text"]))
