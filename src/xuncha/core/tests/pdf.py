"""Generated documents converted to PDF by LibreOffice and read back with poppler (pdfinfo, pdffonts,
pdftotext): each has A4 pages, embeds every font it uses, and holds the expected Chinese text.

CI installs LibreOffice and poppler-utils (.ci/run), so there these checks always run; elsewhere, without
them, they skip."""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from xuncha.core.officialdoc import to_pdfs

TOOLS = ("soffice", "pdfinfo", "pdffonts", "pdftotext")
# One LibreOffice run converts all of a test's documents; a loaded machine needs more than a request's 20 s.
TIMEOUT_SECONDS = 120


def _poppler(tool: str, pdf: Path, *args: str) -> str:
    # The tool is one of TOOLS, found on PATH; the file is our own temporary one.
    return subprocess.run(  # noqa: S603
        [tool, *args, str(pdf), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        text=True,
        timeout=30,
    ).stdout


def read_back(documents: dict[str, tuple[bytes, list[str]]]) -> None:
    """Each named .docx, with the texts it must hold, converted in one run and checked."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"LibreOffice or poppler-utils absent ({', '.join(missing)}); CI installs them")
    names = list(documents)
    pdfs = to_pdfs([documents[name][0] for name in names], timeout=TIMEOUT_SECONDS)
    with tempfile.TemporaryDirectory(prefix="xuncha-pdf-test-") as tmp:
        for name, pdf in zip(names, pdfs, strict=True):
            path = Path(tmp) / "document.pdf"
            path.write_bytes(pdf)
            info = _poppler("pdfinfo", path)
            pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
            assert pages and int(pages.group(1)) > 0, f"{name}: no pages"
            assert re.search(r"^Page size:.*\(A4\)", info, re.M), f"{name}: not A4"
            fonts = _poppler("pdffonts", path).splitlines()[2:]
            assert fonts, f"{name}: no fonts"
            # Columns: name, type, encoding, emb, sub, uni, object, id: "emb" is the fourth from the end.
            assert all(line.split()[-5] == "yes" for line in fonts), f"{name}: a font is not embedded"
            text = re.sub(r"\s+", "", _poppler("pdftotext", path))
            for expected in documents[name][1]:
                assert re.sub(r"\s+", "", expected) in text, f"{name}: 「{expected}」 not in the PDF"
