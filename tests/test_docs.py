"""The documentation site builds with `mkdocs build --strict` and holds what it promises.

One build (module fixture) into a temporary folder, run as a developer would from the
repository root; it executes every tutorial, so it takes as long as they do. The checks: the home
page is the README, every tutorial's page shows its outputs and figures, the API reference
documents every public class and function, its doctest examples are code and not quotes, links
and anchors resolve, and the build writes nothing into the working tree.
"""

import html
import importlib.util
import os
import re
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

import gone
import gone.plots
import matrigo

DOCS_PACKAGES = ("mkdocs", "material", "mkdocs_jupyter", "mkdocstrings", "mkdocstrings_handlers")
missing = [name for name in DOCS_PACKAGES if importlib.util.find_spec(name) is None]
if missing:
    pytest.skip(
        f"the docs extra is not installed (no {', '.join(missing)}): pip install -e '.[docs]'",
        allow_module_level=True,
    )

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("[0-9][0-9]-*.py"))
BUILD_TIMEOUT = 900  # seconds: the tutorials run during the build, each under a minute


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Build the site once; return its folder."""
    site = tmp_path_factory.mktemp("site")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", NO_MKDOCS_2_WARNING="1")
    env.pop("MPLBACKEND", None)  # the kernel's own inline backend is what puts figures on pages
    before = _working_tree_files()
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    seconds = time.perf_counter() - start
    print(f"mkdocs build --strict: {seconds:.1f} s")
    if result.returncode != 0:
        pytest.fail(
            f"mkdocs build --strict failed (exit {result.returncode}):\n{result.stdout}"
            f"{result.stderr}",
            pytrace=False,
        )
    written = sorted(_working_tree_files() - before)
    assert not written, f"the build wrote into the working tree: {written}"
    return site


def test_home_page_is_the_readme(site):
    page = _read(site / "index.html")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", readme, re.MULTILINE)[1]
    # Booleans first: pytest would print a whole page beside a failed `in`.
    has_title = re.search(rf"<h1[^>]*>{re.escape(title)}<", page) is not None
    assert has_title, f"expected the README's title {title!r}"
    opening = " ".join(readme.split("\n\n")[1].split()[:8])  # the first paragraph's first words
    has_opening = opening in _text(page)
    assert has_opening, f"expected the README's opening {opening!r}"
    missing = [
        heading
        for heading in re.findall(r"^## (.+)$", readme, re.MULTILINE)
        if html.escape(heading, quote=False) not in page
    ]
    assert not missing, f"expected the README's sections, missing {missing}"
    for image in re.findall(r"!\[[^\]]*\]\(docs/([^)\s]+)\)", readme):
        shown = f'src="{image}"' in page and (site / image).is_file()
        assert shown, f"expected the README's image docs/{image} on the home page"


def test_every_tutorial_is_a_page_with_its_outputs(site):
    assert TUTORIALS, "expected tutorials named docs/tutorials/NN-name.py, found none"
    home = _read(site / "index.html")
    for path in TUTORIALS:
        page_path = site / "tutorials" / path.stem / "index.html"
        assert page_path.is_file(), f"{path.name}: no page at {page_path.relative_to(site)}"
        page = _read(page_path)
        title = re.match(r"# %% \[markdown\]\n# # (.+)\n", path.read_text(encoding="utf-8"))
        assert title, f"{path.name}: expected a first markdown cell starting with '# <Title>'"
        has_title = f">{html.escape(title[1], quote=False)}<" in page
        in_nav = f'href="tutorials/{path.stem}/"' in home
        assert has_title, f"{path.name}: its page lacks the title {title[1]!r}"
        assert in_nav, f"{path.name}: not in the navigation"
        has_output = "jp-OutputArea-output" in page
        has_figure = '<img alt="' in page and 'src="data:image/png' in page
        assert has_output, f"{path.name}: its page shows no output (was it executed?)"
        assert has_figure, f"{path.name}: its page shows no figure"
        assert (page_path.parent / path.name).is_file(), f"{path.name}: no download beside it"


def test_api_pages_document_the_public_api(site):
    network = _text(_read(site / "api" / "network" / "index.html"))
    summary = gone.NeuralNetwork.train.__doc__.strip().splitlines()[0]
    has_summary = summary in network
    assert has_summary, f"expected NeuralNetwork.train's docstring {summary!r}"

    documented = _inventory(site / "objects.inv")
    public = [
        (package.__name__, name)
        for package in (gone, gone.genetic, gone.persistence, gone.plots, matrigo)
        for name in package.__all__
        if callable(getattr(package, name))  # classes and functions; constants have no docstring
    ]
    undocumented = [
        f"{package}.{name}"
        for package, name in public
        if not any(identifier.endswith(f".{name}") for identifier in documented)
    ]
    assert not undocumented, f"public but on no API page (docs/api/*.md): {undocumented}"


def test_doctest_examples_are_code_not_quotes(site):
    # Markdown reads a docstring's `>>>` as nested quotes; docs/hooks/griffe_doctests.py fences it.
    pages = sorted((site / "api").glob("*/index.html"))
    quoted = [page.parent.name for page in pages if "<blockquote>" in _read(page)]
    assert not quoted, f"API pages with a doctest shown as a quote: {quoted}"


def test_links_resolve(site):
    """Every relative link and image on the site reaches a file, and every #anchor a heading."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        text = _read(page)
        ids = set(re.findall(r'id="([^"]+)"', text))
        for target in re.findall(r'(?:href|src)="([^"]*)"', text):
            path, _, anchor = target.partition("#")
            if re.match(r"^[a-z][a-z0-9+.-]*:", path) or path.startswith("/"):
                continue  # another site, an inline image, or a site-absolute path
            if path:
                resolved = (page.parent / path.partition("?")[0]).resolve()
                if not (resolved.is_file() or (resolved / "index.html").is_file()):
                    broken.append(f"{page.relative_to(site)} -> {target}")
            elif anchor and anchor not in ids:
                broken.append(f"{page.relative_to(site)} -> #{anchor} (no such id)")
    assert not broken, "links to nothing:\n" + "\n".join(broken)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _text(page: str) -> str:
    """The page's text: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _inventory(path: Path) -> set[str]:
    """The object names in a Sphinx inventory (objects.inv): four header lines, then zlib."""
    data = path.read_bytes()
    body = data.split(b"\n", 4)[4]
    return {line.split(" ", 1)[0] for line in zlib.decompress(body).decode().splitlines()}


def _working_tree_files() -> set[str]:
    """Files in the repository's top folder and under docs/: where a stray relative write lands."""
    found = {entry.name for entry in ROOT.iterdir()}
    for folder, dirs, files in os.walk(ROOT / "docs"):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.update(str(Path(folder, name).relative_to(ROOT)) for name in files)
    return found
