"""What the extractor needs to know about a source, and the registry that resolves publisher names.

Spiders build these from source files; the extractor never reads source files itself,
so it stays a plain library usable from the CLI, benchmarks and tests.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from extractors.urls import host_of


@dataclass(frozen=True, slots=True)
class SourceRules:
    """Per-source extraction knowledge: identity, language, timezone and optional overrides."""

    key: str
    name: str
    homepage: str | None = None
    language: str | None = None
    timezone: str | None = None
    aliases: tuple[str, ...] = ()
    body_selector: str | None = None
    title_selector: str | None = None
    date_selector: str | None = None
    author_selector: str | None = None
    strip_selectors: tuple[str, ...] = ()
    # Extra in-body boilerplate: (regex, reason) pairs matched like the language rules files.
    boilerplate: tuple[tuple[str, str], ...] = ()

    @property
    def hosts(self) -> tuple[str, ...]:
        """Host names this source serves, from its homepage (with and without `www.`)."""
        return _hosts_of(self.homepage)


@dataclass(frozen=True, slots=True)
class Publisher:
    """A publisher that credit lines may name: its source key, display name and aliases."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()


def _hosts_of(url: str | None) -> tuple[str, ...]:
    bare = host_of(url)
    return (bare, f"www.{bare}") if bare else ()


def name_key(name: str) -> str:
    """Fold a name for lookup: case, accents, spacing and punctuation do not matter.

    Letters of every script are kept ("山田太郎", "Иван Петров"); only combining marks go.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(filter(str.isalnum, decomposed))  # filter: no generator step per letter


@dataclass(slots=True)
class PublisherRegistry:
    """Resolves a credited name ("Elcomercio", "elcomercio.pe") or URL host to a known publisher."""

    _by_name: dict[str, Publisher] = field(default_factory=dict)
    _by_host: dict[str, Publisher] = field(default_factory=dict)

    @classmethod
    def of(cls, publishers: Iterable[Publisher]) -> PublisherRegistry:
        registry = cls()
        for publisher in publishers:
            registry.add(publisher)
        return registry

    @classmethod
    def from_sources(cls, sources: Iterable[SourceRules]) -> PublisherRegistry:
        return cls.of(
            Publisher(key=s.key, name=s.name, aliases=s.aliases, hosts=s.hosts) for s in sources
        )

    def add(self, publisher: Publisher) -> None:
        for name in (publisher.key, publisher.name, *publisher.aliases, *publisher.hosts):
            if key := name_key(name):
                self._by_name.setdefault(key, publisher)
        for host in publisher.hosts:
            self._by_host.setdefault(host.lower(), publisher)

    def by_name(self, name: str) -> Publisher | None:
        """The publisher a credit line names, if it is one we know."""
        return self._by_name.get(name_key(name))

    def by_url(self, url: str) -> Publisher | None:
        """The publisher whose site serves `url`, if known."""
        return self._by_host.get(host_of(url))

    def __len__(self) -> int:
        return len({id(p) for p in self._by_name.values()})
