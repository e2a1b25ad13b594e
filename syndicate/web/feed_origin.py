"""A feedgen entry extension for the attribution elements: Atom `<link rel="via">` and
`<source>`, RSS `<source url>`. feedgen 1.0 drops the `rel` of an entry's links (its
writer reads the attribute back from the new element), so these are written here."""

from __future__ import annotations

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree


class OriginFeed(BaseExtension):  # type: ignore[misc]
    """Nothing at feed level: feedgen wants a feed class for every extension."""


class OriginEntry(BaseEntryExtension):  # type: ignore[misc]
    """Where a syndicated copy was first published: its URL and publisher."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.publisher: str | None = None

    def original(self, url: str, publisher: str | None) -> None:
        self.url, self.publisher = url, publisher

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        if self.url:
            etree.SubElement(entry, "link", href=self.url, rel="via")
            source = etree.SubElement(entry, "source")
            etree.SubElement(source, "id").text = self.url
            etree.SubElement(source, "title").text = self.publisher or self.url
            etree.SubElement(source, "link", href=self.url, rel="alternate")
        return entry

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        if self.url:
            etree.SubElement(entry, "source", url=self.url).text = self.publisher or self.url
        return entry
