"""The README's Python snippets run as pasted and print what their comments say.

A reader pastes them one after another into one Python session, so they run here in order in one
namespace, in a temporary folder (the snippets save files). Every line a snippet prints must
appear verbatim in one of its comments (`print(x)  # 66 [0.09 ...]`, or the comment lines under a
loop): a snippet whose numbers have gone stale fails.
"""

import contextlib
import io
import os
import re
import tokenize
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SNIPPETS = re.findall(r"^```python\n(.*?)^```$", README.read_text(), flags=re.S | re.M)


def comments(source: str) -> list[str]:
    """The text of every comment in `source`, without the leading '#' and spaces."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [t.string.lstrip("#").strip() for t in tokens if t.type == tokenize.COMMENT]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run every snippet in order in one namespace; return (stdout, error) per snippet."""
    pytest.importorskip("sklearn", reason="the Training snippet uses scikit-learn's digits")
    namespace, results = {"__name__": "__main__"}, []
    folder = tmp_path_factory.mktemp("readme")
    before = Path.cwd()
    os.chdir(folder)
    try:
        for snippet in SNIPPETS:
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                    exec(compile(snippet, "README snippet", "exec"), namespace)
            except Exception as error:  # reported by the snippet's own test
                results.append((out.getvalue(), error))
            else:
                results.append((out.getvalue(), None))
    finally:
        os.chdir(before)
    return results


def test_the_readme_has_snippets():
    assert len(SNIPPETS) >= 4  # XOR, training, saving, neuroevolution


@pytest.mark.parametrize("index", range(len(SNIPPETS)), ids=lambda i: f"snippet{i + 1}")
def test_snippet_runs_and_prints_what_it_says(runs, index):
    printed, error = runs[index]
    assert error is None, f"README snippet {index + 1} raised {error!r}:\n{SNIPPETS[index]}"
    said = comments(SNIPPETS[index])
    for line in printed.splitlines():
        assert line.strip() in said, (
            f"README snippet {index + 1} printed {line.strip()!r}, which none of its comments "
            f"says:\n{SNIPPETS[index]}"
        )
