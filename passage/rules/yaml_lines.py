"""Read a YAML file whose mappings and lists remember the line they start on, so that a
checker can say `FILE:LINE: what is wrong` (rules, scenarios and a program's files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from passage.rules.ruleset import RuleSetError


class LineMapping(dict[Any, Any]):
    """A mapping read from YAML: `line` is where it starts, `key_lines` where each key is."""

    line: int = 0
    key_lines: dict[Any, int]


class LineSequence(list[Any]):
    """A list read from YAML: `line` is where it starts."""

    line: int = 0


class LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings and lists remember the line they start on."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineMapping:
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        if key in mapping:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)  # type: ignore[no-untyped-call]
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> LineSequence:
    sequence = LineSequence(
        loader.construct_object(child, deep=True)  # type: ignore[no-untyped-call]
        for child in node.value
    )
    sequence.line = node.start_mark.line + 1
    return sequence


def _construct_timestamp(loader: LineLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text here so that the loader can report a wrong one with its line.
    return str(loader.construct_scalar(node))  # type: ignore[no-untyped-call]


LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file keeping line numbers; a syntax error becomes `FILE:LINE: message`."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise RuleSetError(f"{path}:{line}: {error.problem or error}") from None
