"""The documents stay true to the repository.

1. Every link in the README (most of them into docs/) leads to a file, and so does every link
   between the documents in docs/.
2. Every file, folder and Python name a document names in `code` exists: when code moves,
   the documents move with it.
3. No file cites design notes that live outside the repository: the product's own documents
   are in docs/, and nothing here may depend on anything else.
"""

import importlib
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
DOCUMENTS = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]

LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
# A path that starts in one of the repository's own top-level folders.
TOP_LEVEL = ("vru/", "programmes/", "grants/", "evaluation/", "tests/", "bench/", "templates/")
TOP_LEVEL += ("static/", "docs/", ".ci/")
# A dotted name in one of the apps, e.g. vru.services.audit_record (not a check id: vru.W001).
PYTHON_NAME = re.compile(r"^(?:vru|programmes|grants|evaluation)(?:\.[A-Za-z_]\w*)+$")
CHECK_ID = re.compile(r"\.[EW]\d{3}$")
# The design notes the product was first built from, kept outside the repository. Spelled in
# pieces so that this file does not cite them itself.
OUTSIDE_NOTES = re.compile(r"\b(?:DESIGN|QUALITY|PERFORMANCE|STYLE)" + r"\.md\b")
# docs/history/ may tell where the documents came from.
MAY_CITE = ("docs/history/",)


def _links(document: Path) -> list[str]:
    return [
        target.split("#", 1)[0]
        for target in LINK.findall(document.read_text(encoding="utf-8"))
        if not target.startswith(("http://", "https://", "mailto:", "#"))
    ]


def _named(document: Path) -> list[str]:
    return CODE.findall(document.read_text(encoding="utf-8"))


def _repository_files() -> list[str]:
    """Files of the working tree (tracked or new, not ignored), as paths from its root."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk it
        skipped = {".git", ".venv", "media", "staticfiles", "__pycache__", "node_modules"}
        return [
            str(path.relative_to(REPO))
            for path in REPO.rglob("*")
            if path.is_file() and not skipped.intersection(path.relative_to(REPO).parts)
        ]
    return [name for name in listed.split("\0") if name and (REPO / name).is_file()]


def test_the_readme_links_into_docs():
    assert any(link.startswith("docs/") for link in _links(REPO / "README.md"))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_link_of_a_document_leads_to_a_file(document):
    missing = [
        link
        for link in _links(document)
        if link and not (document.parent / link).resolve().exists()
    ]

    assert not missing, f"{document.relative_to(REPO)} links to files that do not exist: {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_file_a_document_names_exists(document):
    paths = [
        name
        for name in _named(document)
        if name.startswith(TOP_LEVEL) and not re.search(r"[<>*{}\s]", name)
    ]
    missing = [path for path in paths if not (REPO / path).exists()]

    assert not missing, (
        f"{document.relative_to(REPO)} names files or folders that do not exist "
        f"(moved or renamed? say where they are now): {missing}"
    )


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_python_name_a_document_names_exists(document):
    names = [
        name for name in _named(document) if PYTHON_NAME.match(name) and not CHECK_ID.search(name)
    ]
    missing = [name for name in names if not _resolves(name)]

    assert not missing, (
        f"{document.relative_to(REPO)} names modules or functions that do not exist "
        f"(moved or renamed? say where they are now): {missing}"
    )


def test_no_file_cites_design_notes_from_outside_the_repository():
    citing = []
    for name in _repository_files():
        if name.startswith(MAY_CITE):
            continue
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):  # binary files (images, archives) cite nothing
            continue
        citing += [
            f"{name}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), start=1)
            if OUTSIDE_NOTES.search(line)
        ]

    assert not citing, (
        "These lines cite design notes that are not part of the repository; cite the "
        "document in docs/ that says the same instead (docs/roles.md, docs/architecture.md, "
        "docs/security.md, docs/reliability.md, docs/disclosure.md, docs/performance.md, ...):\n"
        + "\n".join(citing)
    )
