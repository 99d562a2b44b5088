"""Field checks that collect errors with file and line instead of stopping at the first one."""

import re

from flask_babel import gettext as _

from lms.content.spec import ContentError
from lms.content.yamlfile import LocatedData

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MISSING = object()


class FileChecker:
    """Reads typed fields out of one YAML document, recording every problem it meets."""

    def __init__(self, display_path: str, doc: LocatedData, errors: list[ContentError]):
        self.display_path = display_path
        self.doc = doc
        self.errors = errors

    def error(self, path: tuple, message: str) -> None:
        """Record a problem at the line of ``path``."""
        self.errors.append(ContentError(self.display_path, self.doc.line(path), message))

    def mapping(self, value, path: tuple, allowed: set[str], name: str) -> dict | None:
        """Return ``value`` if it is a mapping with only ``allowed`` keys."""
        if not isinstance(value, dict):
            self.error(path, _('"%(field)s" must be a set of "key: value" fields', field=name))
            return None
        for key in value:
            if key not in allowed:
                self.error((*path, key), _('unknown field "%(field)s"', field=key))
        return value

    def _get(self, mapping: dict, path: tuple, key: str, required: bool):
        value = mapping.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(path, _('missing field "%(field)s"', field=key))
            return _MISSING
        return value

    def text(self, mapping: dict, path: tuple, key: str, required: bool = True) -> str | None:
        """A non-empty string field."""
        value = self._get(mapping, path, key, required)
        if value is _MISSING:
            return None if required else ""
        if not isinstance(value, str) or not value.strip():
            self.error((*path, key), _('"%(field)s" must be non-empty text', field=key))
            return None
        return value.strip()

    def slug(self, mapping: dict, path: tuple, key: str = "slug") -> str | None:
        """A slug: lowercase ASCII letters, digits and single hyphens."""
        value = self.text(mapping, path, key)
        if value is not None and not SLUG_PATTERN.match(value):
            self.error(
                (*path, key),
                _('"%(field)s" may contain only lowercase letters, digits and hyphens', field=key),
            )
            return None
        return value

    def integer(self, mapping: dict, path: tuple, key: str, minimum: int = 0, required: bool = True):
        """A whole number of at least ``minimum``."""
        value = self._get(mapping, path, key, required)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(
                (*path, key),
                _('"%(field)s" must be a whole number of at least %(minimum)s', field=key, minimum=minimum),
            )
            return None
        return value

    def positive_number(self, mapping: dict, path: tuple, key: str) -> float | None:
        """A number greater than zero."""
        value = self._get(mapping, path, key, True)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.error((*path, key), _('"%(field)s" must be a number greater than zero', field=key))
            return None
        return float(value)

    def boolean(self, mapping: dict, path: tuple, key: str) -> bool | None:
        """A true/false field."""
        value = self._get(mapping, path, key, True)
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            self.error((*path, key), _('"%(field)s" must be true or false', field=key))
            return None
        return value

    def items(self, mapping: dict, path: tuple, key: str, required: bool = True) -> list:
        """A non-empty list field, returned with each item's path."""
        value = self._get(mapping, path, key, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list) or not value:
            self.error((*path, key), _('"%(field)s" must be a non-empty list', field=key))
            return []
        return [((*path, key, index), item) for index, item in enumerate(value)]

    def text_list(self, mapping: dict, path: tuple, key: str) -> list[str]:
        """A non-empty list of non-empty strings."""
        result = []
        for item_path, item in self.items(mapping, path, key):
            if not isinstance(item, str) or not item.strip():
                self.error(item_path, _('every item of "%(field)s" must be non-empty text', field=key))
            else:
                result.append(item.strip())
        return result
