"""A page of a PDF file as a badge background: read with pypdf, drawn by reportlab as a form XObject.

reportlab writes PDFs but cannot read them, so a designer's PDF artwork
(a background per category, made in a layout program) is read with pypdf,
a well-kept pure-Python library. The page's content stream and everything
its resources point to (fonts, images, shadings, nested forms) are copied
once into a plain snapshot (``PdfPage``); every reportlab document that
draws the page gets one form XObject made from that snapshot, which each
badge of the document only references: the artwork stays vector-sharp and
is embedded once per document part, not once per badge. Streams are copied
as they are (still compressed, with their filters), so nothing is decoded
or re-encoded.

The page's TrimBox (its CropBox when it has none) is fitted to the element's
box; what the PDF has outside its trim (its own bleed) shows only where the
box touches the badge edge in a print-shop file (``printshop.py``). Page
rotation (``/Rotate``) is honoured.

A file that cannot be used (damaged, encrypted, without pages, too few
pages) is reported in the user's language by ``pdf_problem``; the badge is
then printed without the background.
"""

from __future__ import annotations

import hashlib
import logging
import os
import weakref
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from checkin.domain.badge_templates import SIDES, BadgeTemplate
from checkin.domain.errors import UserError
from checkin.i18n import N_, _

log = logging.getLogger(__name__)

MAX_OBJECTS = 50_000  # objects a background may bring along (a page of a normal brochure has a few hundred)
_SKIPPED_KEYS = {b"/Parent", b"/Length"}  # the page tree stays behind; stream lengths are written anew


class PdfPageError(UserError, ValueError):
    """A PDF page cannot be used as a background; the message says why."""


# -- the snapshot: plain values, no pypdf objects --------------------------------------------
@dataclass(frozen=True)
class _Ref:
    number: int


@dataclass(frozen=True)
class _Dict:
    items: tuple[tuple[bytes, Any], ...]


@dataclass(frozen=True)
class _Array:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class _Stream:
    head: _Dict
    data: bytes  # as stored in the file, still encoded with the filters its head names


@dataclass(frozen=True)
class PdfPage:
    """One page of a PDF, copied out of the file; ``getSize`` is the trim size in points (as displayed)."""

    key: str  # names the form in a document
    content: bytes  # the page's content stream, decoded
    resources: Any  # snapshot node (or None)
    bleed_box: tuple[float, float, float, float]  # what may show: x0, y0, x1, y1
    trim_box: tuple[float, float, float, float]  # what fills the element's box
    rotate: int
    objects: dict[int, Any] = field(compare=False, repr=False)

    def getSize(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.trim_box
        width, height = x1 - x0, y1 - y0
        return (height, width) if self.rotate in (90, 270) else (width, height)


def _box(page: Any, name: str) -> tuple[float, float, float, float]:
    box = getattr(page, name)
    x0, x1 = sorted((float(box.left), float(box.right)))
    y0, y1 = sorted((float(box.bottom), float(box.top)))
    return x0, y0, x1, y1


class _Snapshot:
    """Copies a pypdf object graph into plain values (raises on a damaged file while reading it)."""

    def __init__(self) -> None:
        self.objects: dict[int, Any] = {}
        self._numbers: dict[tuple[int, int], int] = {}

    def node(self, value: Any) -> Any:
        from pypdf.generic import (
            ArrayObject,
            ByteStringObject,
            DictionaryObject,
            IndirectObject,
            StreamObject,
            TextStringObject,
        )

        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            number = self._numbers.get(key)
            if number is None:
                if len(self._numbers) >= MAX_OBJECTS:
                    raise _Unusable(N_("the page refers to too many objects"))
                number = self._numbers[key] = len(self._numbers) + 1
                self.objects[number] = None  # a cycle comes back here and finds the number
                self.objects[number] = self.node(value.get_object())
            return _Ref(number)
        if isinstance(value, StreamObject):
            return _Stream(self._dict(value), bytes(value._data))  # the stored bytes, filters kept
        if isinstance(value, DictionaryObject):
            return self._dict(value)
        if isinstance(value, ArrayObject):
            return _Array(tuple(self.node(item) for item in list.__iter__(value)))
        if isinstance(value, TextStringObject | ByteStringObject):
            # Written in hex, so no string can read as a keyword ("stream", "endobj") to the
            # streaming writer's parser (pdfstream.py).
            raw = bytes(value) if isinstance(value, ByteStringObject) else value.original_bytes
            return b"<" + raw.hex().encode("ascii") + b">"
        buffer = _Bytes()
        value.write_to_stream(buffer)
        return buffer.value

    def _dict(self, value: Any) -> _Dict:
        items = []
        for key, item in dict.items(value):
            name = _Bytes()
            key.write_to_stream(name)
            if name.value not in _SKIPPED_KEYS:
                items.append((name.value, self.node(item)))
        return _Dict(tuple(items))


class _Bytes:
    """The smallest writable stream ``write_to_stream`` needs."""

    def __init__(self) -> None:
        self.value = b""

    def write(self, data: bytes) -> int:
        self.value += data
        return len(data)


class _Unusable(Exception):
    """Why a page cannot be used: a message id (translated when shown) and its values."""

    def __init__(self, reason: str, **values: int) -> None:
        super().__init__(reason)
        self.reason, self.values = reason, tuple(values.items())


def _read(path: str, number: int, key: str) -> PdfPage:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        # An empty user password opens many "protected" files; a real one we do not have.
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # a crypt filter pypdf cannot handle
            raise _Unusable(N_("the file is encrypted")) from exc
        if not opened:
            raise _Unusable(N_("the file is encrypted"))
    count = len(reader.pages)
    if count == 0:
        raise _Unusable(N_("the file has no pages"))
    if number > count:
        raise _Unusable(N_("page {page} was asked for, the file has {count}"), page=number, count=count)
    page = reader.pages[number - 1]
    snapshot = _Snapshot()
    contents = page.get_contents()
    resources = snapshot.node(page.raw_get("/Resources")) if "/Resources" in page else None
    rotate = int(page.rotation or 0) % 360
    return PdfPage(
        key=key,
        content=contents.get_data() if contents is not None else b"",
        resources=resources,
        bleed_box=_box(page, "bleedbox"),
        trim_box=_box(page, "trimbox"),
        rotate=rotate if rotate in (0, 90, 180, 270) else 0,
        objects=snapshot.objects,
    )


@lru_cache(maxsize=8)
def _load(path: str, number: int, stamp: tuple[int, int]) -> PdfPage | _Unusable:
    """The page, or why not; both kept, so a broken file is read once per batch, not once per badge."""
    key = hashlib.sha1(f"{path}\0{number}\0{stamp}".encode()).hexdigest()[:16]
    try:
        return _read(path, number, key)
    except _Unusable as unusable:
        log.warning("PDF background %s page %s left out: %s", path, number, unusable.reason)
        return unusable
    except Exception:  # pypdf raises many kinds of error on a damaged file
        log.warning("PDF background %s page %s unreadable", path, number, exc_info=True)
        return _Unusable(N_("the file is damaged or not a PDF"))


def load_pdf_page(path: str, number: int = 1) -> PdfPage:
    """Page ``number`` (from 1) of the PDF at ``path``; ``PdfPageError`` when it cannot be used."""
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise PdfPageError(_("the file cannot be read")) from exc
    loaded = _load(path, max(number, 1), (stat.st_mtime_ns, stat.st_size))
    if isinstance(loaded, _Unusable):
        raise PdfPageError(_(loaded.reason).format(**dict(loaded.values)))
    return loaded


def is_pdf(path: str) -> bool:
    """Whether ``path`` names a PDF (by its name, so that a damaged one is still treated as one)."""
    return path.lower().endswith(".pdf")


def pdf_problem(path: str, number: int = 1) -> str | None:
    """Why page ``number`` of ``path`` cannot be a background, as a sentence; ``None`` if it can."""
    try:
        load_pdf_page(path, number)
    except PdfPageError as exc:
        return _("The background {path} cannot be used ({reason}); badges are printed without it.").format(
            path=os.path.basename(path), reason=exc
        )
    return None


def template_problems(templates: Iterable[BadgeTemplate]) -> list[str]:
    """What ``pdf_problem`` says about every PDF the templates show (each file and page once)."""
    problems: dict[tuple[str, int], str | None] = {}
    for template in templates:
        for side in SIDES:
            for element in template.side(side) or ():
                key = (element.src, element.page)
                if element.kind in ("image", "background") and is_pdf(element.src) and key not in problems:
                    problems[key] = pdf_problem(*key)
    return [problem for problem in problems.values() if problem]


# -- into a reportlab document -------------------------------------------------------------------
class _Indirect(pdfdoc.PDFObject):
    """An object of the snapshot, written once at the document's top level."""

    __RefOnly__ = 1

    def __init__(self) -> None:
        self.node: Any = None
        self.refs: dict[int, pdfdoc.PDFObjectReference] = {}

    def format(self, document: Any) -> bytes:
        return _format(self.node, self.refs, document)


def _format(node: Any, refs: dict[int, pdfdoc.PDFObjectReference], document: Any) -> bytes:
    if isinstance(node, bytes):
        return node
    if isinstance(node, _Ref):
        return bytes(refs[node.number].format(document))
    if isinstance(node, _Array):
        return b"[" + b" ".join(_format(item, refs, document) for item in node.items) + b"]"
    if isinstance(node, _Dict):
        return b"<<" + b"".join(k + b" " + _format(v, refs, document) + b"\n" for k, v in node.items) + b">>"
    if isinstance(node, _Stream):
        head = _format(node.head, refs, document)[:-2] + b"/Length %d>>" % len(node.data)
        return head + b"\nstream\n" + node.data + b"\nendstream\n"
    if node is None:
        return b"null"
    raise TypeError(f"unexpected node {node!r}")


_FORMS: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()  # forms made per document


def _add_form(canvas: Canvas, page: PdfPage) -> str:
    """The name of ``page``'s form in the canvas's document (made on first use)."""
    document = canvas._doc
    name = f"checkinpdf{page.key}"
    known = _FORMS.setdefault(document, set())
    if name in known:
        return name
    refs: dict[int, pdfdoc.PDFObjectReference] = {}
    for number, node in page.objects.items():
        holder = _Indirect()
        holder.node, holder.refs = node, refs
        refs[number] = document.Reference(holder)
    form = _Indirect()
    form.refs = refs
    x0, y0, x1, y1 = page.bleed_box
    head: list[tuple[bytes, Any]] = [
        (b"/Type", b"/XObject"),
        (b"/Subtype", b"/Form"),
        (b"/BBox", _Array(tuple(pdfdoc.fp_str(v).encode() for v in (x0, y0, x1, y1)))),
        (b"/Filter", b"/FlateDecode"),
    ]
    if page.resources is not None:
        head.append((b"/Resources", page.resources))
    form.node = _Stream(_Dict(tuple(head)), zlib.compress(page.content))
    document.Reference(form, pdfdoc.xObjectName(name))
    known.add(name)
    return name


def _rotation(rotate: int, width: float, height: float) -> tuple[float, float, float, float, float, float]:
    """The matrix turning a ``width`` × ``height`` page at the origin as ``/Rotate`` (clockwise) shows it."""
    return {
        90: (0.0, -1.0, 1.0, 0.0, 0.0, width),
        180: (-1.0, 0.0, 0.0, -1.0, width, height),
        270: (0.0, 1.0, -1.0, 0.0, height, 0.0),
    }.get(rotate, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))


def draw_pdf_page(
    canvas: Canvas,
    page: PdfPage,
    box: tuple[float, float, float, float],
    clip: tuple[float, float, float, float],
) -> None:
    """``page`` with its trim filling ``box`` (x, y, width, height), cut to ``clip`` (x0, y0, x1, y1)."""
    name = _add_form(canvas, page)
    x, y, width, height = box
    shown_w, shown_h = page.getSize()
    tx0, ty0, tx1, ty1 = page.trim_box
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(clip[0], clip[1], clip[2] - clip[0], clip[3] - clip[1])
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.translate(x, y)
    canvas.scale(width / shown_w, height / shown_h)
    canvas.transform(*_rotation(page.rotate, tx1 - tx0, ty1 - ty0))
    canvas.translate(-tx0, -ty0)
    canvas.doForm(name)
    canvas.restoreState()


__all__ = [
    "PdfPage",
    "PdfPageError",
    "draw_pdf_page",
    "is_pdf",
    "load_pdf_page",
    "pdf_problem",
    "template_problems",
]
