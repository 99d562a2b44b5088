"""Draft templates: the Markdown headings with short prompts an assignment's draft starts from.

A template is plain Markdown. Its headings name the parts an answer must have; the lines under a
heading are prompts that tell the learner what to write there. A part of an answer is *empty* when its
heading is missing or when nothing but the template's own prompts stands under it.
"""

import re
from typing import NamedTuple

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


class Section(NamedTuple):
    heading: str
    lines: list[str]


def _key(heading: str) -> str:
    """Headings compared as a reader would: without numbering, emphasis, case or extra spaces."""
    text = re.sub(r"[*_`]", "", heading)
    text = re.sub(r"^\d+[.)]\s*", "", text.strip())
    return " ".join(text.split()).casefold()


def sections(markdown: str) -> list[Section]:
    """The text's headed sections, in order (text before the first heading is not a section)."""
    found: list[Section] = []
    for line in markdown.replace("\r\n", "\n").split("\n"):
        match = _HEADING.match(line)
        if match:
            found.append(Section(match.group(2), []))
        elif found:
            found[-1].lines.append(line)
    return found


def template_headings(template: str) -> list[str]:
    """The headings of a template, in order."""
    return [section.heading for section in sections(template)]


def _meaningful(lines: list[str], prompts: set[str]) -> bool:
    return any(line.strip() and line.strip() not in prompts for line in lines)


def empty_headings(template: str, text: str) -> list[str]:
    """The template's headings that ``text`` leaves empty: missing, or holding only the template's prompts."""
    if not template:
        return []
    prompts = {line.strip() for section in sections(template) for line in section.lines if line.strip()}
    answered: dict[str, bool] = {}
    for section in sections(text):
        key = _key(section.heading)
        answered[key] = answered.get(key, False) or _meaningful(section.lines, prompts)
    return [heading for heading in template_headings(template) if not answered.get(_key(heading), False)]
