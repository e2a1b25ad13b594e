"""The hints in front of the boilerplate regexes never rule out a block the regex matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.rule_files import _FLAGS, load_rules
from extractors.rule_hints import _ASCII_CASE_PAIRS, hints_of, lowered, may_match

RULES = load_rules().lines
HINTED = [rule for rule in RULES if rule.hints is not None]


def test_the_case_pairs_are_every_non_ascii_character_matching_an_ascii_one() -> None:
    others = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    found = {
        match.group()
        for code in range(0x20, 0x7F)
        for match in re.finditer(re.escape(chr(code)), others, _FLAGS)
    }
    assert found == set(_ASCII_CASE_PAIRS.pattern.strip("[]"))


def test_the_costliest_unanchored_rules_have_hints() -> None:
    costly = [r for r in RULES if "inbox" in r.pattern.pattern or "copy link" in r.pattern.pattern]
    assert costly and all(rule.hints is not None for rule in costly)


@pytest.mark.parametrize(
    ("pattern", "hints"),
    [
        (
            r"(right|straight) (in|to) your inbox|sign up (for|to)",
            {"right", "straight", "sign up "},
        ),
        (r"^writers? wanted|\bnewsletter\b", {"writer", "newsletter"}),
        (r"^(?:read|watch) more", {"read", "watch"}),
    ],
)
def test_hints_are_the_literals_each_alternative_starts_with(pattern: str, hints: set[str]) -> None:
    found = hints_of(pattern)
    assert found is not None
    assert set(found.pattern.replace("\\", "").split("|")) == hints


@pytest.mark.parametrize(
    "pattern",
    [
        r"[a-z]+ inbox",  # a class first
        r"inbox|to",  # an alternative too short to rule anything out
        r"(inbox)? alerts",  # an optional group
        r"(?P<name>inbox)",  # a named group
        r"(?=inbox)inbox",  # a lookahead
        r"(inbox",  # unbalanced
        r"¡suscríbete",  # not ASCII at the start
    ],
)
def test_no_hints_where_a_match_need_not_start_with_a_literal(pattern: str) -> None:
    assert hints_of(pattern) is None


def test_text_with_a_case_pair_is_never_ruled_out() -> None:
    rule = next(r for r in HINTED if r.pattern.search("Sign up for our newsletter"))
    text = "ſign up for our newsletter"  # long s: matches "s" case-insensitively
    assert rule.pattern.search(text)
    assert lowered(text) is None and may_match(rule.hints, lowered(text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_of_a_bundled_rule_contains_one_of_its_hints(data: st.DataObject) -> None:
    for rule in HINTED:
        text = data.draw(st.from_regex(rule.pattern))
        assert rule.pattern.search(text)
        assert may_match(rule.hints, lowered(text)), (rule.pattern.pattern, text)
