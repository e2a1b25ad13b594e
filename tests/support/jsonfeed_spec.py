"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) as pydantic models, to validate what a
server emits against the spec rather than against itself.

Required: `version` (the 1.1 URL), `title`, `items`; each item's `id`, and `content_html`
or `content_text`; an author has a name, url or avatar. Dates are RFC 3339 with an offset.
Any other member must be the spec's own or an extension (a key starting with "_").
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

VERSION = "https://jsonfeed.org/version/1.1"


class SpecObject(BaseModel):
    """Strict types; members beyond the spec's are allowed only as extensions ("_…")."""

    model_config = ConfigDict(extra="allow", strict=True)

    @model_validator(mode="after")
    def only_extensions(self) -> SpecObject:
        unknown = [key for key in self.model_extra or {} if not key.startswith("_")]
        if unknown:
            raise ValueError(f"{type(self).__name__}: not in JSON Feed 1.1: {unknown}")
        return self

    def extension(self, name: str) -> Any:
        """The extension object `_name` (KeyError when absent)."""
        return (self.model_extra or {})[f"_{name}"]


class Author(SpecObject):
    name: str | None = None
    url: str | None = None
    avatar: str | None = None

    @model_validator(mode="after")
    def identified(self) -> Author:
        if not (self.name or self.url or self.avatar):
            raise ValueError("an author needs a name, url or avatar")
        return self


class Attachment(SpecObject):
    url: str
    mime_type: str
    title: str | None = None
    size_in_bytes: int | None = None
    duration_in_seconds: float | None = None


class Item(SpecObject):
    id: str = Field(min_length=1)
    url: str | None = None
    external_url: str | None = None
    title: str | None = None
    content_html: str | None = None
    content_text: str | None = None
    summary: str | None = None
    image: str | None = None
    banner_image: str | None = None
    date_published: AwareDatetime | None = None
    date_modified: AwareDatetime | None = None
    authors: list[Author] | None = None
    tags: list[str] | None = None
    language: str | None = None
    attachments: list[Attachment] | None = None

    @model_validator(mode="after")
    def has_content(self) -> Item:
        if not (self.content_html or self.content_text):
            raise ValueError("an item needs content_html or content_text")
        return self


class Hub(SpecObject):
    type: str
    url: str


class JsonFeed(SpecObject):
    version: Literal["https://jsonfeed.org/version/1.1"]
    title: str = Field(min_length=1)
    home_page_url: str | None = None
    feed_url: str | None = None
    description: str | None = None
    user_comment: str | None = None
    next_url: str | None = None
    icon: str | None = None
    favicon: str | None = None
    authors: list[Author] | None = None
    language: str | None = None
    expired: bool | None = None
    hubs: list[Hub] | None = None
    items: list[Item]
