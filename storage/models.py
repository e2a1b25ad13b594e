"""Typed SQLAlchemy models: the tables downstream sites read (documented in docs/schema.md).

Column names of `articles` are the `Article` field names (DESIGN.md contract).
The schema itself is built by the Alembic migrations; `tests/storage/test_migrations.py`
checks that these models and the migrations agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

# Stable constraint names, so migrations can alter and drop them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

URL_LENGTH = 2048
KEY_LENGTH = 64

# JSONB on PostgreSQL (indexable, compact); JSON text elsewhere.
Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: Json,
        list[Any]: Json,
    }


class Source(Base):
    """A publisher we crawl; its `key` is the source file's key."""

    __tablename__ = "sources"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    homepage: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    language: Mapped[str | None] = mapped_column(String(35))
    timezone: Mapped[str | None] = mapped_column(String(64))
    aliases: Mapped[list[Any]]


class Page(Base):
    """A fetched page, body gzip-compressed, so articles can be rebuilt without fetching again."""

    __tablename__ = "pages"
    __table_args__ = (
        UniqueConstraint("url", "body_sha256", name="uq_pages_url_body"),
        Index("ix_pages_source_url_fetched", "source", "url", "fetched_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey("sources.key", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    final_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    status: Mapped[int] = mapped_column(SmallInteger)
    headers: Mapped[dict[str, Any]]
    body: Mapped[bytes] = mapped_column(LargeBinary)
    body_sha256: Mapped[str] = mapped_column(String(64))
    body_size: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(index=True)


class ArticleRow(Base):
    """The current version of one article (one row per canonical URL)."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_source_published", "source", "published_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    canonical_url: Mapped[str] = mapped_column(String(URL_LENGTH), unique=True)
    source: Mapped[str] = mapped_column(ForeignKey("sources.key", ondelete="CASCADE"))
    site_name: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[Any]]
    published_at: Mapped[datetime | None]
    modified_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(35))
    section: Mapped[str | None] = mapped_column(String(300))
    tags: Mapped[list[Any]]
    image: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    attribution: Mapped[dict[str, Any]]
    removed: Mapped[list[Any]]
    paywalled: Mapped[bool | None] = mapped_column(Boolean)
    encoding: Mapped[str | None] = mapped_column(String(40))  # charset the page was read as
    # Copied from attribution.original_source so waiting copies can be found with an index.
    original_source: Mapped[str | None] = mapped_column(String(KEY_LENGTH), index=True)
    original_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    # MinHash hash values (uint64, little endian): near-duplicate checks across processes.
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)


class ArticleVersion(Base):
    """An earlier version of an article's content, kept when the content changed."""

    __tablename__ = "article_versions"
    __table_args__ = (
        UniqueConstraint("article_id", "version", name="uq_article_versions_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]]
    valid_from: Mapped[datetime]
    superseded_at: Mapped[datetime]


class ArticleBand(Base):
    """One LSH band of an article's MinHash: sharing a bucket makes a near-duplicate candidate."""

    __tablename__ = "article_bands"
    __table_args__ = (Index("ix_article_bands_bucket", "bucket"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)


class CrawlRun(Base):
    """One crawl or ingest of a source: when, how it ended, counts by outcome and by failure."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey("sources.key", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[dict[str, Any]]
    # Why a run failed or stopped ("time limit of 600 s", "nothing could be fetched", …).
    reason: Mapped[str | None] = mapped_column(String(500))
    # Which process runs it, and when it last said so: a run whose heartbeat stopped is
    # found and marked "abandoned" (its counts so far are kept).
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat_at: Mapped[datetime | None]
    # Article links the crawl's listings named (known ones included); NULL for an ingest.
    # None found by a finished crawl is the usual sign that the site changed its listings.
    discovered: Mapped[int | None] = mapped_column(Integer)


class CrawlLease(Base):
    """At most one crawl per source, across processes and machines sharing the database.

    The holder renews `expires_at` with every heartbeat; a lease whose holder died is taken
    over when it expires, or at once when the holder's process is gone on the same host.
    """

    __tablename__ = "crawl_leases"

    source: Mapped[str] = mapped_column(
        ForeignKey("sources.key", ondelete="CASCADE"), primary_key=True
    )
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))
    token: Mapped[str] = mapped_column(String(64))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]
