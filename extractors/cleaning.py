"""Remove in-body boilerplate block by block; every removal is recorded with its reason.

trafilatura already drops page chrome; what survives inside the body are teasers to other
stories, share/subscribe prompts, ad labels, file-name captions, credit lines and bylines.
Credit lines and bylines are not junk: they are returned for attribution and authors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.article import Removed
from extractors.blocks import Block
from extractors.rule_files import LineRule, RuleSet
from extractors.rule_hints import lowered, may_match

# Longer blocks that open with a teaser label are paragraphs, never teasers.
_TEASER_MAX_WORDS = 60
# A teaser label with nothing after it ("READ ALSO") is a teaser only up to this many words.
_BARE_TEASER_MAX_WORDS = 4
# Text after a teaser label at most this long, with no full stop, reads as a headline.
_HEADLINE_MAX_WORDS = 25
# A paragraph identical to the block kept just before it is the markup saying it twice (a
# caption beside its picture's alt text). Repeats further apart are the article's own (menus
# and recipes, refrains) and stay; so does a whole second copy of the body, and short repeats.
_DUPLICATE_MIN_WORDS = 15
# After a box label, items at most this long are the box's links.
_BOX_ITEM_MAX_WORDS = 20
# A box label stands alone, so longer blocks are not matched against the labels (cheaper).
_BOX_LABEL_MAX_WORDS = 8
# Credit lines and bylines are read only in the first block and the last three, where they live.
_CREDIT_ZONE = 3
# A credited name ends at ". " unless fewer than this many characters precede it ("St. Louis").
_MIN_NAME_BEFORE_STOP = 5
# The title repeated as one of the first three blocks is dropped.
_TITLE_REPEAT_BLOCKS = 3
# A block at most this long that is only an author's name is a byline.
_AUTHOR_LINE_MAX_WORDS = 8
# Datelines ("LIMA (EFE).-") are looked for in the first two blocks, the lead.
_DATELINE_BLOCKS = 2
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Credit:
    """A credit line as written, the name it credits and its link, if any."""

    text: str
    name: str
    link: str | None = None  # looked up on the page when the credit becomes attribution
    keep_text: bool = False  # datelines stay in the body


@dataclass(slots=True)
class Cleaned:
    blocks: list[Block]
    removed: list[Removed] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Context:
    """What the page-level rules compare each block with."""

    title_key: str | None
    author_keys: set[str]
    last_index: int
    previous_key: str | None = None  # the last block kept


def clean_blocks(
    blocks: list[Block],
    rules: RuleSet,
    *,
    title: str | None = None,
    authors: Sequence[str] = (),
) -> Cleaned:
    """Drop boilerplate blocks, collecting credits and bylines on the way."""
    result = Cleaned(blocks=[])
    context = _Context(_key(title) if title else None, {_key(a) for a in authors}, len(blocks) - 1)
    box_label: Block | None = None  # the label of the box being read, if any
    for index, block in enumerate(blocks):
        if box_label is not None and _is_box_item(block, box_label):
            result.removed.append(Removed(block.text, rules.box_reason))
            continue
        key = _key(block.text)
        in_box = block.words <= _BOX_LABEL_MAX_WORDS and bool(rules.box.match(block.text))
        box_label = block if in_box else None
        reason = (
            rules.box_reason
            if in_box
            else _block_reason(block, key, index=index, rules=rules, result=result, context=context)
        )
        if reason:
            result.removed.append(Removed(block.text, reason))
            continue
        context.previous_key = key
        if index < _DATELINE_BLOCKS:
            _note_dateline(block, rules, result)
        result.blocks.append(block)
    return result


def _block_reason(
    block: Block, key: str, *, index: int, rules: RuleSet, result: Cleaned, context: _Context
) -> str | None:
    """Why this block is not article text, or None. Language rules first, then page-level ones."""
    in_credit_zone = index == 0 or index > context.last_index - _CREDIT_ZONE
    if reason := _reason(block, rules, result, in_credit_zone=in_credit_zone):
        return reason
    if index < _TITLE_REPEAT_BLOCKS and key == context.title_key:
        return "title repeated in body"
    if block.words <= _AUTHOR_LINE_MAX_WORDS and key in context.author_keys:
        return "byline: author's name alone"
    if block.kind == "p" and block.words >= _DUPLICATE_MIN_WORDS and key == context.previous_key:
        return "duplicate block (the paragraph just before, repeated)"
    if not _HAS_LETTER.search(block.text):
        return "no words"
    return None


def _reason(block: Block, rules: RuleSet, result: Cleaned, *, in_credit_zone: bool) -> str | None:
    if _is_teaser(block, rules):
        return rules.teaser_reason
    if in_credit_zone:
        if (credit := _match_named(block, rules.credits)) is not None:
            rule, name = credit
            result.credits.append(Credit(block.text, name))
            return rule.reason
        if (byline := _match_named(block, rules.bylines)) is not None:
            rule, name = byline
            result.bylines.append(name)
            return rule.reason
    if block.words > rules.max_line_words:
        return None  # longer than any line rule: a paragraph of the article
    folded = lowered(block.text)
    for rule in rules.lines:
        if (
            block.words <= rule.max_words
            and may_match(rule.hints, folded)
            and rule.pattern.search(block.text)
        ):
            return rule.reason
    return None


def _is_teaser(block: Block, rules: RuleSet) -> bool:
    """A teaser label followed by a headline; a real paragraph starting with the word stays."""
    if block.words > _TEASER_MAX_WORDS:
        return False
    match = rules.teaser.match(block.text)
    if not match:
        return False
    rest = (match.group("rest") or "").strip()
    if not rest:
        return block.words <= _BARE_TEASER_MAX_WORDS
    # Editors set teaser labels in capitals ("LEE TAMBIÉN:") and follow them with a headline,
    # which has no full stop; "Related: the minister said …, she added." is a sentence.
    return match.group("label").isupper() or (
        len(rest.split()) <= _HEADLINE_MAX_WORDS and not rest.endswith(".")
    )


def _match_named(block: Block, rules: tuple[LineRule, ...]) -> tuple[LineRule, str] | None:
    for rule in rules:
        if block.words > rule.max_words:
            continue
        match = rule.pattern.search(block.text)
        if match and (name := _first_sentence(match.group("name")).strip(" .,;:-–—()[]")):
            return rule, name
    return None


def _first_sentence(name: str) -> str:
    """'Futurism. Read the original article' -> 'Futurism'; 'St. Louis Post-Dispatch' stays."""
    head, dot, _ = name.partition(". ")
    return head if dot and len(head) >= _MIN_NAME_BEFORE_STOP else name


def _note_dateline(block: Block, rules: RuleSet, result: Cleaned) -> None:
    for pattern in rules.datelines:
        if match := pattern.match(block.text):
            result.credits.append(
                Credit(match.group(0).strip(), match.group("name"), keep_text=True)
            )
            return


def _is_box_item(block: Block, label: Block) -> bool:
    """Items of a related-links box: short list items, or headline-like lines (no full stop).
    A heading not below the label's own level opens the next section of the article ("Lesen
    Sie auch", one headline, then the article's next subheading)."""
    if block.kind == "h" and (label.kind != "h" or block.level <= label.level):
        return False
    if block.kind == "li":
        return block.words <= _BOX_ITEM_MAX_WORDS
    return block.words <= _BOX_ITEM_MAX_WORDS and not block.text.rstrip().endswith((".", ":"))


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))
