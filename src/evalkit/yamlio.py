"""YAML reading for every file a person writes: params, rubrics, taxonomies, locales.

Plain ``yaml.safe_load`` keeps the last of two equal keys without a word (a params file with
``iid:`` twice silently loses the first section), and expands aliases without limit (a
1.7 KB file of nested aliases becomes a hundred megabytes once printed or hashed). Here a
duplicate key is an error naming the file and both lines, and aliases may add at most
:data:`MAX_ALIAS_NODES` nodes to the document. Every problem is an :class:`InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evalkit.issues import InputError, Issue

# What anchors and aliases may add to a document, in YAML nodes (scalars, lists, mappings).
# The largest bundled file has about 2,500 nodes of its own and uses no alias at all.
MAX_ALIAS_NODES = 10_000


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int, first: int):
        self.key, self.line, self.first = key, line, first


def strict_loader(base: type) -> type:
    """``base`` (a SafeLoader) whose mappings refuse a key given twice (merge keys ``<<``
    excepted)."""

    class StrictLoader(base):  # type: ignore[misc,valid-type]
        def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
            if isinstance(node, yaml.MappingNode):
                seen: dict[object, int] = {}
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        first = seen.get(key)
                    except TypeError:  # an unhashable key: SafeLoader names it below
                        continue
                    line = key_node.start_mark.line + 1
                    if first is not None:
                        raise _DuplicateKey(key, line, first)
                    seen[key] = line
            return super().construct_mapping(node, deep=deep)

    return StrictLoader


# libyaml's parser where PyYAML has it (its wheels do): the same documents, about ten times
# faster on the bundled rubrics and taxonomy, which every notebook reads (0.12 s -> 0.01 s).
LOADER = strict_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
PURE_LOADER = strict_loader(yaml.SafeLoader)



def _error(file: str, message: str) -> InputError:
    return InputError([Issue("error", message, file=file, code="yaml")])


def _expanded_size(root: yaml.Node) -> int:
    """Nodes in the document once every alias is expanded (shared nodes counted each time)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise ValueError("an alias refers to the node that holds it")
        active.add(key)
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(v) for v in node.value)
        else:
            total = 1
        active.discard(key)
        sizes[key] = total
        return total

    return size(root)


def _own_size(root: yaml.Node) -> int:
    """Distinct nodes written in the document."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return len(seen)


def _located(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context else str(problem)
    if mark is None:
        return f"not valid YAML: {text}"
    return f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {text}"


def parse_yaml(text: str, file: str | Path = "", loader_class: type | None = None) -> Any:
    """Parse one YAML document; ``None`` for an empty one. ``file`` names it in errors;
    ``loader_class`` defaults to :data:`LOADER`."""
    where = str(file)
    loader = (loader_class or LOADER)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            extra = _expanded_size(node) - _own_size(node)
        except ValueError as exc:  # a recursive alias
            raise _error(where, f"not usable YAML: {exc}") from None
        except RecursionError:
            raise _error(where, "not usable YAML: nested too deeply") from None
        if extra > MAX_ALIAS_NODES:
            raise _error(where, f"its aliases expand to {extra:,} more nodes; at most "
                                f"{MAX_ALIAS_NODES:,} are allowed (write the values out, or "
                                "use fewer nested aliases)")
        return loader.construct_document(node)
    except _DuplicateKey as dup:
        raise _error(where, f"line {dup.line}: key '{dup.key}' is given twice (first on line "
                            f"{dup.first}); YAML keeps only one, so remove or rename the "
                            "other") from None
    except yaml.YAMLError as exc:
        raise _error(where, _located(exc)) from None
    finally:
        loader.dispose()


def read_yaml(path: str | Path) -> Any:
    """Read and parse a UTF-8 YAML file (see :func:`parse_yaml`)."""
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(str(file), f"not UTF-8 text (byte {exc.start + 1} cannot be read); save "
                                "the file as UTF-8") from None
    except OSError as exc:
        raise _error(str(file), f"cannot read the file: {exc.strerror or exc}") from None
    return parse_yaml(text, file)
