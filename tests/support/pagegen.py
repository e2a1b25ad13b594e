"""Distinct article pages made from the real saved El Comercio page (tests/fixtures/elcomercio).

Only the title, URL slug, date and the ten body paragraphs change, so every generated page
has the publisher's real markup, metadata and boilerplate around its own text.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from tests.support.paths import EL_COMERCIO_PAGE

TEMPLATE = EL_COMERCIO_PAGE
SLUG = (
    "kenji-fujimori-juicio-contra-excongresista-por-presunta-compra-de-votos-continuara-el-18-"
    "de-mayo-pedro-pablo-kuczynski-ppk-fiscalia-rmmn-noticia"
)
TITLE = "Kenji Fujimori: juicio por presunta compra de votos continuará el 18 de mayo"
PUBLISHED = "2022-05-07T20:06:23-05:00"
PARAGRAPH = re.compile(
    r'(<p itemProp="description" class="story-contents__font-paragraph ">)(.*?)(</p>)', re.S
)
_VOCABULARY = (
    "congreso gobierno ministro fiscal juez proceso votos ley presupuesto región alcalde obra "
    "contrato empresa mercado precio inflación banco exportación minería agua salud hospital "
    "escuela maestro alumno policía seguridad tránsito puerto aeropuerto carretera lluvia sequía "
    "cosecha turismo cultura museo teatro música fútbol estadio elección campaña encuesta debate"
)
WORDS = _VOCABULARY.split()
_TEMPLATE_TEXT = TEMPLATE.read_text(encoding="utf-8")


def url_of(slug: str) -> str:
    return f"https://elcomercio.pe/politica/justicia/{slug}/"


def paragraphs(seed: int, count: int = 10, words: int = 45) -> list[str]:
    """`count` paragraphs of pseudo-random Spanish words, different for every seed."""
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "." for _ in range(count)
    ]


def elcomercio_page(slug: str, title: str, body: list[str], published: str = PUBLISHED) -> bytes:
    """The saved page with another slug, title, publication time and paragraphs."""
    text = _TEMPLATE_TEXT.replace(SLUG, slug).replace(TITLE, title).replace(PUBLISHED, published)
    replacements = iter(body)
    text = PARAGRAPH.sub(lambda m: m.group(1) + next(replacements, "") + m.group(3), text)
    return text.encode("utf-8")


def numbered_page(number: int) -> tuple[str, bytes]:
    """(URL, page) of the number-th distinct generated article."""
    slug = f"noticia-generada-{number}-rmmn-noticia"
    title = f"Noticia generada número {number}: {' '.join(paragraphs(number, 1, 6)[0].split())}"
    return url_of(slug), elcomercio_page(slug, title, paragraphs(number))


def write_pages(folder: Path, count: int) -> list[Path]:
    """`count` distinct pages as .html files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"page-{number:04d}.html"
        path.write_bytes(numbered_page(number)[1])
        paths.append(path)
    return paths
