"""Plain text out of the documents agencies publish: .txt, .docx and .pdf.

Every failure is a ``DocumentError`` whose message names the file and says what is wrong in
plain English (missing, unreadable, encrypted, empty, unsupported), so the command line can
print it without a traceback.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")
# A DOCX table row becomes one line with its cells joined like this, so the parsers can tell
# a "No | Komponen | Uraian" row from running text.
CELL_SEPARATOR = " | "
_SPACES = re.compile(r"[ \t\u00a0]+")


class DocumentError(Exception):
    """A document that cannot be turned into text; the message names the file."""


def read_document(path: Path) -> str:
    """The text of ``path`` by its extension; raises ``DocumentError`` on any problem."""
    if not path.exists():
        raise DocumentError(f"{path}: file not found")
    if not path.is_file():
        raise DocumentError(f"{path}: not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{path}: unsupported file type {suffix or '(no extension)'!r}; "
            f"use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    if suffix == ".txt":
        text = _read_txt(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_pdf(path)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())
    if not text.strip():
        raise DocumentError(f"{path}: the document contains no text")
    return text


def _read_txt(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older office machines save text as Windows-1252; every byte decodes there.
        logger.info("%s is not UTF-8; reading it as Windows-1252", path)
        return data.decode("cp1252", errors="replace")


def _read_docx(path: Path) -> str:
    import docx  # noqa: PLC0415 (only the ingest command needs it)
    from docx.opc.exceptions import PackageNotFoundError  # noqa: PLC0415

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise DocumentError(
            f"{path}: not a valid DOCX file (a .docx must be a Word document, which is a "
            "zip package); save it again from the word processor as .docx"
        ) from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return "\n".join(_docx_lines(document))


def _docx_lines(document: object) -> Iterator[str]:
    """Paragraphs and table rows in document order (a table row is one line of cells)."""
    from docx.table import Table  # noqa: PLC0415
    from docx.text.paragraph import Paragraph  # noqa: PLC0415

    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield ""
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    # Merged cells repeat in python-docx; keep each once.
                    text = cell.text.strip()
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                if cells:
                    yield CELL_SEPARATOR.join(cells)
            yield ""


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader  # noqa: PLC0415 (only the ingest command needs it)
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError  # noqa: PLC0415

    # pypdf warns about every repaired defect; the one error that matters is reported below.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            # Many "protected" PDFs only restrict printing and open with an empty password.
            try:
                opened = bool(reader.decrypt(""))
            except (DependencyError, NotImplementedError):
                opened = False
            if not opened:
                raise DocumentError(  # noqa: TRY301 (passed through below)
                    f"{path}: the PDF is encrypted (password-protected); export an "
                    "unprotected copy first"
                )
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise DocumentError(f"{path}: the PDF is encrypted (password-protected)") from None
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"{path}: not a readable PDF file ({exc})") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise DocumentError(
            f"{path}: the PDF has no text layer (a scanned image?); run OCR or use the "
            "DOCX or text version"
        )
    return text
