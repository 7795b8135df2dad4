"""MkDocs hooks of gone's site: the tutorials in the nav, and pages that are files from elsewhere.

Tutorials: every docs/tutorials/NN-name.py (jupytext percent format, rendered by mkdocs-jupyter)
is appended to the nav's "Tutorials" section in file-name order, so a new lesson needs no edit
of mkdocs.yml.

Includes: a page whose Markdown holds a line `<!-- include: ../README.md -->` (a path relative
to the page) gets that file's text in its place, so the home page *is* the README rather than a
copy of it. The included file's relative links are written for where it lives in the
repository; they are rewritten for the page: a link into docs/ points at that file on the site,
a link to a file that another page includes points at that page (README -> examples/digits/
README.md becomes examples/digits.md), and any other relative link is a warning, which fails
`mkdocs build --strict`.

Tutorial links: mkdocs-jupyter leaves a notebook's links as written, relative to the .py file,
but the page lives one folder deeper (tutorials/01-name/), so a link from one lesson to the next
(`[Reading handwriting](02-reading-handwriting.py)`, which works on GitHub) is pointed at that
lesson's page, and a link to another file of the site at that file; a relative link to
anything else is a warning. And a lesson's table of contents is rebuilt from the page's own
headings: mkdocs-jupyter's drops inline code from titles and anchors ("`evolve`: the loop" became
": the loop", linked to #the-loop beside a heading whose id is evolve-the-loop), and it numbers
repeated titles (#the-champion_1) where the page repeats the id, which is numbered here too.
"""

import html as html_text
import logging
import os
import posixpath
import re
from pathlib import Path

from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.gone_docs")

TUTORIALS = "tutorials"
TUTORIAL_GLOB = "[0-9][0-9]-*.py"
INCLUDE = re.compile(r"^<!-- include: (?P<path>\S+) -->\s*$", re.MULTILINE)
# A Markdown link or image target: ](target) or ](target "title").
LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^\s*(```|~~~)")
# A link or image in a notebook page's HTML.
HTML_LINK = re.compile(r'(?P<attribute>href|src)="(?P<target>[^"]*)"')
NOTEBOOKS = (".py", ".ipynb")
HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="(?P<id>[^"]+)">(?P<inner>.*?)</h(?P=level)>', re.DOTALL
)
ANCHOR_LINK = re.compile(r'<a class="anchor-link".*?</a>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")

# Included file (absolute) -> the page (src path, relative to docs_dir) that includes it.
_pages_of: dict[Path, str] = {}


def on_config(config):
    docs = Path(config["docs_dir"])
    tutorials = sorted((docs / TUTORIALS).glob(TUTORIAL_GLOB))
    section = next(
        (item for item in config["nav"] or [] if isinstance(item, dict) and "Tutorials" in item),
        None,
    )
    if section is None:
        log.warning("mkdocs.yml: expected a 'Tutorials' section in nav, got none")
        return config
    listed = section["Tutorials"]
    for path in tutorials:
        page = f"{TUTORIALS}/{path.name}"
        if page not in listed:
            listed.append(page)
    return config


def on_files(files, config):
    _pages_of.clear()
    for file in files.documentation_pages():
        source = Path(file.abs_src_path)
        if source.suffix != ".md":
            continue
        for match in INCLUDE.finditer(source.read_text(encoding="utf-8")):
            _pages_of[(source.parent / match["path"]).resolve()] = file.src_uri
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.abs_src_path is None or not INCLUDE.search(markdown):
        return markdown
    here = Path(page.file.abs_src_path).parent

    def include(match):
        included = (here / match["path"]).resolve()
        text = included.read_text(encoding="utf-8")
        return _rewrite_links(text, included, page.file.src_uri, Path(config["docs_dir"]))

    return INCLUDE.sub(include, markdown)


def on_page_content(html, page, config, files):
    if not page.file.src_uri.endswith(NOTEBOOKS):
        return html
    folder = posixpath.dirname(page.file.src_uri)

    def relink(match):
        target = match["target"]
        path, hash_, fragment = target.partition("#")
        if not path or _is_absolute(target):
            return match[0]
        uri = posixpath.normpath(posixpath.join(folder, path))
        file = files.get_file_from_path(uri)
        if file is None:
            log.warning(
                f"{page.file.src_uri}: the link {target!r}: expected a file of the site, "
                f"got nothing at docs/{uri}"
            )
            return match[0]
        url = get_relative_url(file.url, page.url)
        return f'{match["attribute"]}="{url}{hash_}{fragment}"'

    html, page.toc = _headings_and_toc(html)
    return HTML_LINK.sub(relink, html)


def _headings_and_toc(html: str):
    """Return the page with unique heading ids, and its table of contents from those headings."""
    seen: dict[str, int] = {}
    flat: list[dict] = []

    def unique(match):
        level, anchor, inner = int(match["level"]), match["id"], match["inner"]
        repeats = seen.get(anchor, 0)
        seen[anchor] = repeats + 1
        if repeats:
            inner = inner.replace(f'href="#{anchor}"', f'href="#{anchor}_{repeats}"')
            anchor = f"{anchor}_{repeats}"
        title = html_text.escape(_heading_text(inner), quote=False)
        flat.append({"level": level, "id": anchor, "name": title, "children": []})
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    html = HEADING.sub(unique, html)
    roots: list[dict] = []
    parents: list[dict] = []  # the open headings, outermost first
    for token in flat:
        while parents and parents[-1]["level"] >= token["level"]:
            parents.pop()
        (parents[-1]["children"] if parents else roots).append(token)
        parents.append(token)
    return html, get_toc(roots)


def _heading_text(inner: str) -> str:
    """A heading's text as a table of contents shows it: no tags, no pilcrow link."""
    return html_text.unescape(TAG.sub("", ANCHOR_LINK.sub("", inner))).strip()


def _is_absolute(target: str) -> bool:
    """A URL with a scheme (https:, mailto:, data:) or a site-absolute path: the same everywhere."""
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE)) or target.startswith("/")


def _rewrite_links(text: str, included: Path, page_uri: str, docs: Path) -> str:
    lines, in_fence = [], False
    for line in text.splitlines(keepends=True):
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence:
            line = LINK.sub(lambda m: _relink(m, included, page_uri, docs), line)
        lines.append(line)
    return "".join(lines)


def _relink(match, included: Path, page_uri: str, docs: Path) -> str:
    target = match["target"]
    if target.startswith("#") or _is_absolute(target):
        return match[0]
    path, hash_, fragment = target.partition("#")
    resolved = (included.parent / path).resolve()
    docs = docs.resolve()
    if resolved in _pages_of:
        uri = _pages_of[resolved]
    elif resolved.is_relative_to(docs):
        uri = resolved.relative_to(docs).as_posix()
    else:
        log.warning(
            f"{included.name}: the link {target!r} (included in {page_uri}): expected a file "
            f"under docs/ or one that a page includes, got {os.fspath(resolved)}"
        )
        return match[0]
    relative = posixpath.relpath(uri, posixpath.dirname(page_uri) or ".")
    return f"]({relative}{hash_}{fragment}{match['title'] or ''})"
