"""Load the in-body boilerplate rules (one TOML file per language) into compiled patterns, once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from extractors.errors import ExtractionError
from extractors.rule_hints import hints_of

_FLAGS = re.IGNORECASE | re.UNICODE | re.DOTALL
# A rules-file entry without `max_words` matches blocks up to this many words.
_DEFAULT_MAX_WORDS = 40
# A source's own boilerplate patterns (SourceRules.boilerplate) match blocks up to this long.
_SOURCE_RULE_MAX_WORDS = 60


@dataclass(frozen=True, slots=True)
class LineRule:
    """A whole block matching `pattern` (and at most `max_words` long) is boilerplate."""

    pattern: re.Pattern[str]
    reason: str
    max_words: int
    hints: re.Pattern[str] | None = None  # see extractors.rule_hints: a cheap test first


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All languages' rules merged: pages are often mislabelled, and labels rarely collide."""

    teaser: re.Pattern[str]
    box: re.Pattern[str]
    lines: tuple[LineRule, ...]
    credits: tuple[LineRule, ...]
    bylines: tuple[LineRule, ...]
    datelines: tuple[re.Pattern[str], ...]
    max_line_words: int = 0  # the longest block any line rule can match
    teaser_reason: str = "teaser: link to another story"
    box_reason: str = "teaser box: related links"


def _label_alternation(labels: list[str]) -> str:
    # Longest first so "mira también" wins over "mira".
    return "|".join(sorted(labels, key=len, reverse=True))


def _compile(text: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(text, _FLAGS)
    except re.error as exc:
        raise ExtractionError(f"{where}: bad pattern {text!r}: {exc}") from exc


def _line_rules(entries: list[dict[str, object]], where: str) -> list[LineRule]:
    return [
        LineRule(
            _compile(str(entry["pattern"]), where),
            str(entry.get("reason", "boilerplate")),
            int(str(entry.get("max_words", _DEFAULT_MAX_WORDS))),
            hints_of(str(entry["pattern"])),
        )
        for entry in entries
    ]


@cache
def load_rules(extra: tuple[tuple[str, str], ...] = ()) -> RuleSet:
    """Every bundled language file, plus a source's extra (pattern, reason) line rules."""
    teasers: list[str] = []
    boxes: list[str] = []
    lines: list[LineRule] = []
    credits: list[LineRule] = []
    bylines: list[LineRule] = []
    datelines: list[re.Pattern[str]] = []
    for path in sorted(resources.files("extractors.rules").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".toml"):
            continue
        where = f"extractors/rules/{path.name}"
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        teasers += [label for rule in data.get("teaser", []) for label in rule["labels"]]
        boxes += [label for rule in data.get("box", []) for label in rule["labels"]]
        lines += _line_rules(data.get("line", []), where)
        credits += _line_rules(data.get("credit", []), where)
        bylines += _line_rules(data.get("byline", []), where)
        datelines += [_compile(rule["pattern"], where) for rule in data.get("dateline", [])]
    lines += [
        LineRule(_compile(p, "source rules"), r, _SOURCE_RULE_MAX_WORDS, hints_of(p))
        for p, r in extra
    ]
    separator = r"(?:\s*[:|»›>]+|\s+[-–—]+\s|\s*\.{3})"
    return RuleSet(
        teaser=_compile(
            rf"^\s*(?P<label>{_label_alternation(teasers)})(?:{separator}\s*(?P<rest>.*)|\s*)$",
            "teaser labels",
        ),
        box=_compile(rf"^\s*(?:{_label_alternation(boxes)})\s*[:.]?\s*$", "box labels"),
        lines=tuple(lines),
        credits=tuple(credits),
        bylines=tuple(bylines),
        datelines=tuple(datelines),
        max_line_words=max((rule.max_words for rule in lines), default=0),
    )
