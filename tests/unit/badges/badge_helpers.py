"""Helpers for badge tests: PDF inspection (text, fonts, rendered pages, QR codes)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

MM = 72.0 / 25.4


def render_pngs(pdf: bytes | Path, tmp_path: Path, dpi: int = 200) -> list[Image.Image]:
    """Every page of ``pdf`` as a greyscale PIL image (pdftoppm)."""
    if isinstance(pdf, bytes):
        path = tmp_path / "render.pdf"
        path.write_bytes(pdf)
    else:
        path = pdf
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(prefix)], check=True)
    images = []
    for png in sorted(tmp_path.glob("page*.png")):
        with Image.open(png) as image:
            images.append(image.copy())
        png.unlink()
    return images


def pdf_reader(pdf: bytes | Path) -> PdfReader:
    data = pdf if isinstance(pdf, bytes) else pdf.read_bytes()
    return PdfReader(io.BytesIO(data))


def decode_qr(image: Image.Image) -> list[tuple[str, float, float]]:
    """Every QR code zxing-cpp finds on ``image``: (text, centre x, centre y) in pixels, top-left origin."""
    import zxingcpp

    found = []
    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        position = barcode.position
        corners = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
        found.append(
            (
                barcode.text,
                sum(c.x for c in corners) / 4,
                sum(c.y for c in corners) / 4,
            )
        )
    return found


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """BaseFont name -> whether its program is embedded (FontFile2 in the descriptor)."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        font_dict = resources.get_object().get("/Font")
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts
