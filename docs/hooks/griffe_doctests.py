"""A griffe extension for the API reference: doctest lines in docstrings are shown as code.

gone's docstrings show examples as doctest lines (`>>> net.predict([1, 0])`), in the prose or
under an `Example:` heading (which griffe renders as an admonition box). In both places
Markdown would read `>>>` as three nested quotes, so this wraps each run of doctest lines (from a
`>>>` line to the next blank or less indented line) in a ```pycon fence at the run's own
indentation, and drops doctest's `# doctest:` directives, which say nothing to a reader. An
indented run in the prose is left alone: Markdown already shows an indented block as code, and
a fence indented four spaces would itself be shown as code.
"""

import re

import griffe

PROMPT = ">>>"
# A griffe section or admonition heading, such as "Example:" or "Raises:".
HEADING = re.compile(r"^\s*[A-Z][\w ]*:\s*$")
# doctest's own directives, which say nothing to a reader.
DIRECTIVE = re.compile(r"\s*# doctest:.*$")


class DoctestFences(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None and PROMPT in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)


def fence_doctests(text: str) -> str:
    """Return `text` with its runs of doctest lines inside ```pycon fences."""
    lines = text.splitlines()
    out: list[str] = []
    in_fence = False
    doctest_indent = None  # the indentation of the doctest run being fenced, else None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if doctest_indent is not None and (not line.strip() or indent < doctest_indent):
            out.append(" " * doctest_indent + "```")
            doctest_indent = None
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        elif (
            not in_fence
            and doctest_indent is None
            and stripped.startswith(PROMPT)
            and (indent == 0 or _under_heading(lines, i, indent))
        ):
            out.append(" " * indent + "```pycon")
            doctest_indent = indent
        out.append(line if doctest_indent is None else DIRECTIVE.sub("", line))
    if doctest_indent is not None:
        out.append(" " * doctest_indent + "```")
    return "\n".join(out)


def _under_heading(lines: list[str], i: int, indent: int) -> bool:
    """Whether the nearest line above line i that is less indented is a section heading."""
    for line in reversed(lines[:i]):
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            return bool(HEADING.match(line))
    return False
