"""Author names from the page's signals, with the junk that CMSs put there filtered out.

A byline is split into names at commas and at the page language's "and" ("A und B",
"A og B"); "Last, First" stays one name, in byline order ("Steve Gillman"). Labels ("By",
"Von", "文●"), roles ("Staff Writer", "기자"), image credits, URL slugs, desk and outlet
names and news agencies are not people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.source_rules import name_key

# CMS account names and placeholders, not people (compared case- and accent-folded).
_NOT_PEOPLE = {
    "admin", "administrator", "administrador", "root", "user", "usuario", "editor", "webmaster",
    "author", "autor", "guest", "invitado", "anonymous", "anonimo", "unknown", "desconocido",
    "null", "none", "nobody", "staff", "redaccion", "wpadmin", "publisher", "contributor",
    "redaktion", "redazione", "redaction", "newsroom", "newsdesk", "staffwriter", "updated",
    "seefullbio", "lesedauer", "linkcopied", "follow", "share", "by", "von", "por", "par", "de",
    "di", "door", "av", "af", "and", "und",
}  # fmt: skip
# News agencies credit the story; they are the attribution's business, not authors.
AGENCIES = {
    "ap", "associatedpress", "theassociatedpress", "reuters", "afp", "agencefrancepresse", "dpa",
    "efe", "europapress", "ansa", "epa", "kyodo", "kyodonews", "xinhua", "tass", "pti", "ians",
    "tnn", "apa", "sda", "kna", "epd", "upi", "bloomberg", "cnnwire", "yonhap", "aap", "anp",
}  # fmt: skip
# "and" in each language: a byline "A und B" names two people.
CONJUNCTIONS = {
    "en": ("and",), "de": ("und",), "es": ("y", "e"), "fr": ("et",), "it": ("e", "ed"),
    "pt": ("e",), "nl": ("en",), "da": ("og",), "no": ("og",), "nb": ("og",), "sv": ("och",),
    "ca": ("i",), "pl": ("i",), "fi": ("ja",), "cs": ("a",),
}  # fmt: skip
# Words that make a name a desk, a team or an outlet rather than a person.
_DESK_WORDS = re.compile(
    r"\b(staff|desk|team|newsroom|redacci[oó]n|redaktion|r[ée]daction|redazione|editors?|"
    r"editorial|wire|agency|agencia|agentur|press|news|nachrichten|noticias|submissions)\b",
    re.IGNORECASE,
)
_CJK_DESK = re.compile(r"(編集部|编辑部|編集局|取材班|新聞社?|通信社?|報道部|뉴스팀|편집국)$")
# Labels before the name, in the languages we see ("By", "Von", "Por", "文●", "著者：").
_PREFIX = re.compile(
    r"^(?:(?:(?:written|posted|published|reported|words|text|story|photos?|more stories|more articles)\s+by|by|von|por|par|"
    r"di|door|av|af|autor(?:a|in)?|author|auteur|texto|text|escrito por)(?:\s*[:：|]\s*|\s+)"
    r"|(?:作者|著者|文|記者|编辑|記|筆者|글)\s*[:：●・|]?\s*)",
    re.IGNORECASE,
)
# Roles written after the name ("Staff Writer", "기자", "· CBC News", "Updated …").
_SUFFIX = re.compile(
    r"(?:\s*[,|·•/／]\s*|\s+)(?:staff writer|senior writer|staff reporter|reporter|correspondent|"
    r"contributor|columnist|editor(?: at large)?|writer|ceo|founder|co-founder|president|"
    r"(?:special |senior |executive )?assistant|deputy|director|chief|officer|"
    r"redacci[oó]n|redakteur(?:in)?|"
    r"updated|published|more stories by.*|see full bio|link copied|기자|특파원|記者|編集部)\b.*$"
    r"|\s*(?:기자|특파원|記者)$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"\((?:image|photo|foto|bild|picture|credit)s?\s*:.*$|\bgetty images\b.*$", re.I
)
_PARENS = re.compile(r"\s*[(（][^)）]*[)）]")
_BRACKETS = re.compile(r"^[\[《〈「(（]\s*|\s*[\]》〉」)）]$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
_LAST_FIRST = re.compile(r"^[^\s,]+,\s*[^\s,]+$")
# "Gillman, Steve" (parsely, library catalogues): one person, written "Steve Gillman" in bylines.
_INVERTED = re.compile(r"^([A-Z][\w'-]*[a-z][\w'-]*),\s*([A-Z][\w'-]*[a-z][\w'-]*)$")
_SEPARATORS = r",|;|\||&|/|／|、|，|\s[·•]\s"
_DIGITS = re.compile(r"\d")
_HANDLE = re.compile(r"^[a-z0-9._]+$")  # "mikecason": an account name
# Where a byline turns into place and time: a lower-case "in", "on", "at", "am", "le", "el" …
_TRAILER = re.compile(r"\s+(?:in|on|at|am|um|le|el|il|op|the)\b(?:\s.*)?$")
# A month name ends a byline ("Laura Adkins December 28, 2016"), as does an "Updated:" label.
_MONTH_TAIL = re.compile(
    r"(?:^|\s+)(?:(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|januar|februar|märz|mai|juni|juli|"
    r"oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
    r"noviembre|diciembre|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre)\.?,?\s+\d|(?:updated|published|posted|aktualisiert|actualizado|"
    r"publicado)\b).*$",
    re.IGNORECASE,
)
# Words before the label: "All India Edited by Swati Bhasin", "Politics | By Jane Roe".
# Lower-case "by", or "By" after a separator: "Stand By Me" is not a lead-in.
_LEAD_IN = re.compile(
    r"^(?:\S+\s+){1,4}(?:(?:[Ww]ritten|[Ee]dited|[Pp]osted|[Rr]eported)\s+by|by|von|por|par|"
    r"[|·•:]\s*(?:By|Von|Por|Par))\s+(?=\S)"
)
# One word, then a dot or bar, then a name of two words: the section ("Politik · Jochen
# Bittner, Tina Hildebrandt"), as "Pete Evans · CBC News" is the person, then the outlet.
_SECTION = re.compile(r"^[^\s·•|]+\s+[·•|]\s+(?=[^\s,]+\s+[^\s,]+)")
_CAPS_TAIL = re.compile(r"(?:\s+[A-Z][A-Z&.'-]+){2,}$")
# A person's or desk's name has at most this many words; more is a sentence, not a name.
_MAX_NAME_WORDS = 6
# Site names at least this long drop author names containing them; shorter ones match by chance.
_MIN_SITE_NAME_CHARS = 6


def clean_authors(
    candidates: Iterable[str], *, not_names: Iterable[str] = (), language: str | None = None
) -> list[str]:
    """Distinct author names in order; account names, site names, URLs and dates are dropped."""
    site_names = {name_key(n) for n in not_names if n}
    authors: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        for part in split_names(candidate, language):
            key = name_key(part)
            # "Laura Adkins is Opinion Editor" after "Laura Adkins": the same byline run on.
            run_on = any(key.startswith(known) for known in seen)
            if key and not run_on and not _is_excluded(part, key, site_names):
                seen.add(key)
                authors.append(part)
    return authors


def split_names(value: str, language: str | None = None) -> list[str]:
    """One byline as names: labels and roles off, split at commas and the language's "and"."""
    value = " ".join(value.split())
    if value.startswith(("http://", "https://", "www.")):
        return []
    value = _PARENS.sub(" ", _CREDIT.sub("", value)).strip()
    # A byline runs on into its date and place: "By A in Tech on 1 June 2019", "谢若含 2017-03-01".
    value = _SECTION.sub("", _LEAD_IN.sub("", value))
    value = _MONTH_TAIL.sub("", value)
    value = _TRAILER.sub("", _DIGITS.split(value, maxsplit=1)[0]).strip()
    if inverted := _INVERTED.match(value.strip()):
        return [f"{inverted[2]} {inverted[1]}"]
    if _LAST_FIRST.match(value.strip()):
        return [value.strip()]
    words = (*CONJUNCTIONS.get((language or "en").split("-")[0].lower(), ()), "and")
    pattern = rf"\s*(?:{_SEPARATORS}|\b(?:{'|'.join(map(re.escape, words))})\b)\s*"
    names = []
    for part in re.split(pattern, value, flags=re.IGNORECASE):
        name = _clean_name(part)
        if name and "@" not in name:
            names.append(name)
    # In a byline of capitalised names a lower-case part is a word ("technology"), not a name.
    if any(n[0].isupper() for n in names):
        names = [n for n in names if not n.islower()]
    return names


def agency_names(
    candidates: Iterable[str], *, not_names: Iterable[str] = (), language: str | None = None
) -> list[str]:
    """The news agencies a byline names ("Reuters", "The Associated Press"): its credit.

    An agency's own site (`not_names`) is not crediting anyone.
    """
    own = {name_key(n) for n in not_names if n}
    found: list[str] = []
    for candidate in candidates:
        for name in split_names(candidate, language):
            key = name_key(name)
            if key in AGENCIES and key not in own and name not in found:
                found.append(name)
    return found


def without_desks(names: list[str]) -> list[str]:
    """Names that are not a desk, team or outlet ("AOL Staff", "BWW News Desk", "ASCII編集部").

    Kept apart from `clean_authors`: a JSON-LD Person is the site's own word for who wrote the
    story, so a desk declared that way stays.
    """
    people = [n for n in names if not (_DESK_WORDS.search(n) or _CJK_DESK.search(n))]
    # One word in capitals beside a person ("John Patrick Pullen, TIME") is a masthead; alone
    # ("KT") it is how the site signs its writer.
    named = [n for n in people if not _capitals_word(n)]
    return named or people


def is_handle(name: str) -> bool:
    """An account name ("mikecason"): the byline may spell the same person out."""
    return bool(_HANDLE.match(name))


def _capitals_word(name: str) -> bool:
    return name.isupper() and len(name.split()) == 1


def _clean_name(part: str) -> str:
    name = _BRACKETS.sub("", part.strip(" .,:-–—●・•·"))
    name = _PREFIX.sub("", name)
    name = _SUFFIX.sub("", name)
    if not name.isupper():  # "Meg Wagner NEW YORK DAILY NEWS": the outlet in capitals
        name = _CAPS_TAIL.sub("", name)
    return _BRACKETS.sub("", name.strip(" .,:-–—●・•·"))


def _is_excluded(name: str, key: str, site_names: set[str]) -> bool:
    """Not a person: an account, a desk, an agency, a slug, or the site's own name."""
    return (
        key in _NOT_PEOPLE
        or key in AGENCIES
        or key in site_names
        or bool(_SLUG.match(name))
        or any(len(site) >= _MIN_SITE_NAME_CHARS and site in key for site in site_names)
        or not _plausible(name)
    )


def _plausible(name: str) -> bool:
    """A person's or desk's name: short, with letters, no digits (dates, ids) and no markup."""
    words = name.split()
    return (
        0 < len(words) <= _MAX_NAME_WORDS
        and not _DIGITS.search(name)
        and "<" not in name
        and any(c.isalpha() for c in name)
    )
