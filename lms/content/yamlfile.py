"""Reading YAML (and Markdown front matter) while remembering the line of every key."""

from dataclasses import dataclass, field

import frontmatter
import yaml

Path = tuple  # a path into the data, e.g. ("assignments", 0, "criteria")


class YamlProblem(Exception):
    """A file that cannot be read as YAML; carries the 1-based line of the problem."""

    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line = line
        self.problem = problem


@dataclass
class LocatedData:
    """Parsed YAML plus the 1-based line of every mapping key and sequence item."""

    data: object
    lines: dict = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def _index_lines(node, path: Path, lines: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines[child] = key_node.start_mark.line + 1
            _index_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            _index_lines(item, child, lines)


def load_yaml(text: str) -> LocatedData:
    """Parse YAML safely; raise ``YamlProblem`` with the line of any syntax error."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise YamlProblem(mark.line + 1 if mark else 1, problem) from error
    lines: dict = {(): 1}
    if node is not None:
        _index_lines(node, (), lines)
    return LocatedData(data, lines)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split a Markdown file into (front matter, body, body's first line), or None without one.

    The front matter keeps the rest of the opening ``---`` line, so YAML line numbers
    already equal the file's line numbers.
    """
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text) or not text.lstrip("\ufeff").startswith("---"):
        return None
    try:
        front, body = handler.split(text.lstrip("\ufeff"))
    except ValueError:
        return None
    body_first_line = front.count("\n") + 2
    return front, body, body_first_line
