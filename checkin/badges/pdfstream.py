"""Writing very long PDFs with flat memory.

reportlab keeps every finished page of a canvas in memory until ``save()``
and then builds the whole file as one byte string. For 50,000 badges that
is hundreds of megabytes. ``StreamingPdfWriter`` instead renders a few
hundred pages at a time into a small reportlab document, renumbers that
part's objects and appends them to the output file at once; only the
object offsets and page-tree nodes (a few integers per part) stay in
memory. Each part gets its own page-tree node, which keeps the tree
shallow and balanced enough for every viewer.

reportlab names the font subsets of every document ``AAAAAA+Font``,
``AAAAAB+Font``…, so parts appended to one file would carry several
different subsets under one name (preflight tools flag that; some RIPs
then print wrong glyphs). ``SubsetTagger`` gives every subset of a file a
tag of its own; tags keep their length, so no offset moves.

The parser only has to understand what reportlab itself writes: a classic
cross-reference table, ``N 0 R`` references, and streams with a direct
``/Length``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from checkin.badges.fonts import register_fonts
from checkin.domain.errors import UserError
from checkin.i18n import _


class PdfWriteError(UserError):
    """The PDF could not be written (disk full, file too large); nothing is left behind."""


DrawFn = Callable[[Canvas], None]

_STARTXREF_RE = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_ENTRY_RE = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_OBJ_HEADER_RE = re.compile(rb"(\d+) 0 obj\s*")
# A stream starts right after its dictionary; "stream" elsewhere (a font or string of a PDF
# background, see pdf_page.py) is not one.
_STREAM_RE = re.compile(rb">>\s*stream")
_REF_RE = re.compile(rb"(\d+) 0 R\b")
_LENGTH_RE = re.compile(rb"/Length (\d+)\b")
_ROOT_RE = re.compile(rb"/Root (\d+) 0 R")
_INFO_RE = re.compile(rb"/Info (\d+) 0 R")
_PAGES_RE = re.compile(rb"/Pages (\d+) 0 R")
_KIDS_RE = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_SUBSET_NAME_RE = re.compile(rb"/(BaseFont|FontName) /([A-Z]{6})\+([^\s/\[\]<>()]+)")


class SubsetTagger:
    """Gives every font subset of one output file its own six-letter tag.

    Call ``new_document()`` before the objects of each reportlab document:
    within a document the same (tag, font) pair is the same subset (the font
    dictionary and its descriptor), across documents it is a different one.
    """

    def __init__(self) -> None:
        self._count = 0
        self._current: dict[tuple[bytes, bytes], bytes] = {}

    def new_document(self) -> None:
        self._current = {}

    def _tag(self) -> bytes:
        n, letters = self._count, []
        self._count += 1
        for _position in range(6):
            n, digit = divmod(n, 26)
            letters.append(65 + digit)
        return bytes(reversed(letters))

    def _replace(self, match: re.Match[bytes]) -> bytes:
        key = (match.group(2), match.group(3))
        if key not in self._current:
            self._current[key] = self._tag()
        return b"/%s /%s+%s" % (match.group(1), self._current[key], match.group(3))

    def retag(self, data: bytes) -> bytes:
        """``data`` with every subset name renamed (same length)."""
        return _SUBSET_NAME_RE.sub(self._replace, data)


def _new_canvas(target: BinaryIO, title: str) -> Canvas:
    # The shipped main face as initial font keeps unembedded Helvetica out of the file.
    canvas = Canvas(target, pageCompression=1, pdfVersion=(1, 4), initialFontName=register_fonts().regular)
    canvas.setTitle(title)
    canvas.setCreator("checkin")
    canvas.setAuthor("")
    return canvas


def single_pdf(draw: DrawFn, *, title: str = "") -> bytes:
    """A complete PDF made by ``draw(canvas)`` in one go (for small documents)."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, title)
    draw(canvas)
    canvas.save()
    # Only dictionaries carry the names (ToUnicode streams are compressed), and the
    # renamed tags are as long as the old ones, so the cross-reference table stays right.
    return SubsetTagger().retag(buffer.getvalue())


def _split_object(data: bytes, offset: int) -> tuple[int, bytes, bytes]:
    """Object number, dictionary part and raw stream part (``b""`` if none) of the object at ``offset``."""
    header = _OBJ_HEADER_RE.match(data, offset)
    if header is None:
        raise ValueError(f"no object at offset {offset}")
    number = int(header.group(1))
    start = header.end()
    end_at = data.find(b"endobj", start)
    stream_match = _STREAM_RE.search(data, start, end_at if end_at != -1 else len(data))
    stream_at = stream_match.end() - len(b"stream") if stream_match else -1
    if stream_at != -1 and stream_at < end_at:
        head = data[start:stream_at]
        length_match = _LENGTH_RE.search(head)
        if length_match is None:
            raise ValueError(f"stream without direct /Length in object {number}")
        body_start = stream_at + len(b"stream")
        if data[body_start : body_start + 2] == b"\r\n":
            body_start += 2
        elif data[body_start : body_start + 1] in (b"\n", b"\r"):
            body_start += 1
        body_end = body_start + int(length_match.group(1))
        return number, head, data[body_start:body_end]
    return number, data[start:end_at], b""


class StreamingPdfWriter:
    """Appends independently rendered parts to one PDF file.

    Usage::

        with StreamingPdfWriter(path_or_binary_file, title="Badges") as pdf:
            pdf.add_part(lambda canvas: ...draw some pages...)
    """

    _CATALOG, _ROOT_PAGES, _INFO = 1, 2, 3

    def __init__(self, out: Path | str | BinaryIO, *, title: str = "") -> None:
        self._target: Path | None = None
        self._partial: Path | None = None
        if isinstance(out, str | Path):
            # Written next to the target and renamed when complete: a cancelled or failed
            # run leaves an existing file of that name untouched.
            self._target = Path(out)
            self._partial = self._target.with_name(f".{self._target.name}.part")
            self._file: BinaryIO = open(self._partial, "wb")  # noqa: SIM115
        else:
            self._file = out
        self._owns_file = self._target is not None
        self._title = title
        self._offsets: dict[int, int] = {}
        self._next_number = 4
        self._part_nodes: list[tuple[int, int]] = []  # (page-tree node, page count)
        self._tagger = SubsetTagger()
        self._position = 0
        self.pages = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def __enter__(self) -> StreamingPdfWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            try:
                self.close()
            except OSError as error:  # disk full, file too large, folder gone
                self._discard()
                raise PdfWriteError(
                    _("Cannot write {path}: {error}").format(path=self._target, error=error.strerror or error)
                ) from error
        else:
            self._discard()
            if isinstance(exc, OSError) and self._owns_file:
                raise PdfWriteError(
                    _("Cannot write {path}: {error}").format(path=self._target, error=exc.strerror or exc)
                ) from exc

    def _discard(self) -> None:
        """Close and remove the unfinished file (an existing file of the target's name stays)."""
        if self._owns_file:
            with contextlib.suppress(OSError):  # closing flushes, which may fail again on a full disk
                self._file.close()
            if self._partial is not None:
                self._partial.unlink(missing_ok=True)

    def _write(self, data: bytes) -> None:
        self._file.write(data)
        self._position += len(data)

    def _write_object(self, number: int, head: bytes, stream: bytes = b"") -> None:
        self._offsets[number] = self._position
        if stream:
            self._write(b"%d 0 obj\n%s" % (number, head.rstrip() + b"\n"))
            self._write(b"stream\n")
            self._write(stream)
            self._write(b"\nendstream\nendobj\n")
        else:
            self._write(b"%d 0 obj\n%s\nendobj\n" % (number, head.strip()))

    def add_part(self, draw: DrawFn) -> int:
        """Render ``draw(canvas)`` as a small document and append its pages; return their number."""
        buffer = io.BytesIO()
        canvas = _new_canvas(buffer, self._title)
        draw(canvas)
        if canvas.getPageNumber() == 1:  # no page was finished: nothing to add
            return 0
        canvas.save()
        return self.add_pdf(buffer.getvalue())

    def add_pdf(self, data: bytes) -> int:
        """Append the pages of a PDF that reportlab wrote; return how many pages it had."""
        tail = _STARTXREF_RE.search(data[-64:])
        if tail is None:
            raise ValueError("not a reportlab PDF: no startxref")
        xref_at = int(tail.group(1))
        trailer_at = data.find(b"trailer", xref_at)
        entries = _XREF_ENTRY_RE.findall(data, xref_at, trailer_at)
        trailer = data[trailer_at:]
        root = int(_ROOT_RE.search(trailer).group(1))  # type: ignore[union-attr]
        info_match = _INFO_RE.search(trailer)
        info = int(info_match.group(1)) if info_match else -1
        objects: dict[int, tuple[bytes, bytes]] = {}
        for index, (offset, _generation, kind) in enumerate(entries):
            if kind != b"n" or index == 0:
                continue
            number, head, stream = _split_object(data, int(offset))
            objects[number] = (head, stream)
        pages_root = int(_PAGES_RE.search(objects[root][0]).group(1))  # type: ignore[union-attr]
        kids = [int(n) for n in _REF_RE.findall(_KIDS_RE.search(objects[pages_root][0]).group(1))]  # type: ignore[union-attr]
        skip = {root, info, pages_root}
        node = self._next_number
        self._next_number += 1
        renumber = {pages_root: node}  # pages point to their part's page-tree node
        for number in sorted(objects):
            if number not in skip:
                renumber[number] = self._next_number
                self._next_number += 1

        def replace(match: re.Match[bytes]) -> bytes:
            return b"%d 0 R" % renumber[int(match.group(1))]

        self._tagger.new_document()

        for number in sorted(objects):
            if number in skip:
                continue
            head, stream = objects[number]
            head = self._tagger.retag(_REF_RE.sub(replace, head))
            self._write_object(renumber[number], head, stream)
        kid_refs = b" ".join(b"%d 0 R" % renumber[k] for k in kids)
        self._write_object(
            node,
            b"<< /Type /Pages /Parent %d 0 R /Count %d /Kids [ %s ] >>"
            % (self._ROOT_PAGES, len(kids), kid_refs),
        )
        self._part_nodes.append((node, len(kids)))
        self.pages += len(kids)
        return len(kids)

    def close(self) -> None:
        """Write the page tree, catalog and cross-reference table; finish the file if we opened it."""
        if self.pages == 0:
            if self._owns_file and self._partial is not None:
                self._file.close()
                self._partial.unlink(missing_ok=True)
            raise ValueError("a PDF needs at least one page")
        kid_refs = b" ".join(b"%d 0 R" % node for node, _count in self._part_nodes)
        self._write_object(
            self._ROOT_PAGES, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (self.pages, kid_refs)
        )
        self._write_object(self._CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % self._ROOT_PAGES)
        title = self._title.encode("utf-16-be")
        self._write_object(
            self._INFO, b"<< /Producer (checkin) /Title <feff%s> >>" % title.hex().encode("ascii")
        )
        xref_at = self._position
        size = self._next_number
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        for number in range(1, size):
            offset = self._offsets.get(number)
            lines.append(b"%010d 00000 n \n" % offset if offset is not None else b"0000000000 65535 f \n")
        self._write(b"".join(lines))
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, self._CATALOG, self._INFO, xref_at)
        )
        self._file.flush()
        if self._owns_file and self._partial is not None and self._target is not None:
            self._file.close()
            os.replace(self._partial, self._target)
