"""Build small article pages around given body paragraphs, for rule-level tests."""

from __future__ import annotations

FILLER = (
    "The council met on Tuesday to discuss the budget for the coming year, and members "
    "agreed that spending on roads and schools would rise while other items were cut back."
)
RELLENO = (
    "El consejo se reunió el martes para discutir el presupuesto del próximo año, y los "
    "miembros acordaron que el gasto en carreteras y escuelas aumentaría este año."
)


def article_page(*paragraphs: str, lang: str = "en", head: str = "") -> str:
    """A plain article page: title, several real paragraphs, the given ones in the middle."""
    filler = RELLENO if lang == "es" else FILLER
    body = "".join(
        f"<p>{p}</p>" for p in (filler, filler + " 2", *paragraphs, filler + " 3", filler + " 4")
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Budget talks</title>'
        f'<meta property="og:title" content="Budget talks">{head}</head><body><main><article>'
        f"<h1>Budget talks</h1><div class='entry-content'>{body}</div></article></main></body></html>"
    )
