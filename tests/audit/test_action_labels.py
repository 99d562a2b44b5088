"""Every action the code writes to the audit log has a label and an entry in the log's action filter.

Actions are plain strings given to ``record``, ``record_access`` and ``record_read``; this test reads every
such call in lms/ and works out which strings can reach it (a literal, either side of a conditional, a local
or module constant, a parameter filled in by the module's own calls, a helper's returns). A call it cannot
work out fails the test: write the action so that a reader of the code, and this test, can see it.
"""

import ast
from pathlib import Path

from lms.admin.audit_log import ACTION_LABELS

LMS = Path(__file__).resolve().parents[2] / "lms"
WRITERS = {"record": 1, "record_access": 1, "record_read": 1}  # function name: the action's position


class Unresolved(Exception):
    """An action argument this test cannot turn into strings."""


class Module:
    """One source file: its functions and module constants, and the actions its writer calls can give."""

    def __init__(self, path: Path):
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.functions = {n.name: n for n in ast.walk(self.tree) if isinstance(n, ast.FunctionDef)}
        self.parents = {child: parent for parent in ast.walk(self.tree) for child in ast.iter_child_nodes(parent)}

    def enclosing_function(self, node):
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def calls_to(self, name: str):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and _called_name(node) == name:
                yield node

    def assigned(self, scope, name: str):
        """Values assigned to ``name`` directly in ``scope`` (a function or the module)."""
        body = ast.walk(scope) if isinstance(scope, ast.FunctionDef) else scope.body
        for node in body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                yield node.value

    def resolve(self, node, depth=0) -> set[str]:
        """The strings ``node`` can evaluate to."""
        if depth > 10:
            raise Unresolved
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.resolve(node.body, depth + 1) | self.resolve(node.orelse, depth + 1)
        if isinstance(node, ast.Call) and _called_name(node) in self.functions:
            function = self.functions[_called_name(node)]
            returns = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None]
            if not returns:
                raise Unresolved
            return set().union(*(self.resolve(value, depth + 1) for value in returns))
        if isinstance(node, ast.Name):
            function = self.enclosing_function(node)
            if function is not None:
                values = list(self.assigned(function, node.id))
                if values:
                    return set().union(*(self.resolve(value, depth + 1) for value in values))
                parameters = [a.arg for a in function.args.args]
                if node.id in parameters:
                    return self._from_callers(function, parameters.index(node.id), node.id, depth)
            values = list(self.assigned(self.tree, node.id))
            if values:
                return set().union(*(self.resolve(value, depth + 1) for value in values))
        raise Unresolved

    def _from_callers(self, function, position: int, name: str, depth: int) -> set[str]:
        found = set()
        calls = list(self.calls_to(function.name))
        if not calls:
            raise Unresolved
        for call in calls:
            keyword = [k.value for k in call.keywords if k.arg == name]
            argument = keyword[0] if keyword else call.args[position]
            found |= self.resolve(argument, depth + 1)
        return found


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def written_actions() -> tuple[dict[str, str], list[str]]:
    """Every action a writer call in lms/ can give (with where), and the calls that could not be read."""
    actions, unreadable = {}, []
    for path in sorted(LMS.rglob("*.py")):
        module = Module(path)
        for name, position in WRITERS.items():
            for call in module.calls_to(name):
                if module.enclosing_function(call) in (module.functions.get(name),):
                    continue
                where = f"{path.relative_to(LMS.parent)}:{call.lineno}"
                try:
                    for action in module.resolve(call.args[position]):
                        actions.setdefault(action, where)
                except (Unresolved, IndexError):
                    unreadable.append(where)
    return actions, unreadable


def test_every_written_action_has_a_label_and_a_filter_entry():
    actions, unreadable = written_actions()
    assert not unreadable, f"write these actions so they can be read: {unreadable}"
    assert len(actions) > 50  # the reader found the calls (a broken reader finds none and passes)
    missing = {action: where for action, where in actions.items() if action not in ACTION_LABELS}
    assert not missing, f"add labels to ACTION_LABELS in lms/admin/audit_log.py: {missing}"


def test_every_label_names_an_action_the_code_writes():
    """A label for an action nothing writes is a filter entry that always finds nothing (a typo, usually)."""
    actions, _unreadable = written_actions()
    assert set(ACTION_LABELS) - set(actions) == set()
