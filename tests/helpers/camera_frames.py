"""Camera frames made from images, for the camera-scanning tests and the benchmark (no Qt).

A real camera cannot be plugged in here, so frames are drawn the way a webcam sees a
ticket: a QR code (``qrcode``'s matrix, as the badges print it) pasted into a 1280×720
grey scene with some texture, then blurred, rotated, washed out by glare, or shown on a
phone screen (a dark rounded rectangle with moiré stripes and sensor noise).
"""

from __future__ import annotations

import math
import random

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFilter

from checkin.domain.camera_scan import GrayFrame

WIDTH, HEIGHT = 1280, 720


def qr_image(text: str, module_px: int, *, border: int = 4) -> Image.Image:
    """The QR code of ``text`` as a black-on-white greyscale image, ``module_px`` pixels per module."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(text)
    matrix = np.array(code.get_matrix(), dtype=bool)
    pixels = np.where(matrix, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "L").resize(
        (matrix.shape[1] * module_px, matrix.shape[0] * module_px), Image.Resampling.NEAREST
    )


def scene(seed: int = 1) -> Image.Image:
    """An empty camera view: a desk-grey background with soft blobs (not a flat colour)."""
    rng = random.Random(seed)
    image = Image.new("L", (WIDTH, HEIGHT), 128)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.randrange(40, 200)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randrange(90, 170))
    return image.filter(ImageFilter.GaussianBlur(25))


def place(background: Image.Image, item: Image.Image, centre: tuple[int, int]) -> Image.Image:
    """``item`` pasted with its centre at ``centre`` (a copy of ``background``)."""
    out = background.copy()
    out.paste(item, (centre[0] - item.width // 2, centre[1] - item.height // 2))
    return out


def ticket(text: str, module_px: int = 6, *, angle: float = 0.0) -> Image.Image:
    """A printed ticket's code: the QR on white paper, turned by ``angle`` degrees."""
    code = qr_image(text, module_px)
    if not angle:
        return code
    mask = Image.new("L", code.size, 255)
    turned = code.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    shape = mask.rotate(angle, expand=True, fillcolor=0)
    paper = Image.new("L", turned.size, 128)
    paper.paste(turned, (0, 0), shape)
    return paper


def frame_with(
    text: str, module_px: int = 6, *, angle: float = 0.0, blur: float = 0.0, seed: int = 1
) -> Image.Image:
    """A frame with one ticket in the middle, optionally turned and blurred (out of focus)."""
    image = place(scene(seed), ticket(text, module_px, angle=angle), (WIDTH // 2, HEIGHT // 2))
    return image.filter(ImageFilter.GaussianBlur(blur)) if blur else image


def with_glare(
    image: Image.Image, centre: tuple[int, int], radius: int, strength: float = 0.6
) -> Image.Image:
    """A lamp's reflection: a bright spot that washes the dark modules out towards its centre."""
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    distance = np.hypot(xs - centre[0], ys - centre[1]) / radius
    light = strength * np.clip(1 - distance, 0, 1) ** 2
    pixels = np.asarray(image, dtype=np.float32)
    lit = pixels + (255 - pixels) * light
    return Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8), "L")


def two_codes(first: str, second: str, module_px: int = 5) -> Image.Image:
    """Two people's tickets side by side in one frame."""
    image = place(scene(3), ticket(first, module_px), (WIDTH // 3, HEIGHT // 2))
    return place(image, ticket(second, module_px), (2 * WIDTH // 3, HEIGHT // 2))


def phone_screen(text: str, module_px: int = 5, *, seed: int = 7) -> Image.Image:
    """A ticket on a phone held up to the camera: a dark rounded phone body, a bright screen
    with the code, slightly turned; the camera's view of the pixel grid adds moiré stripes,
    the sensor adds noise, and a soft blur stands for a focus that is not quite on it."""
    rng = np.random.default_rng(seed)
    code = qr_image(text, module_px, border=3)
    screen_w, screen_h = code.width + 60, int((code.width + 60) * 1.9)
    phone = Image.new("L", (screen_w + 40, screen_h + 80), 0)
    ImageDraw.Draw(phone).rounded_rectangle((0, 0, phone.width - 1, phone.height - 1), radius=48, fill=22)
    screen = Image.new("L", (screen_w, screen_h), 235)
    screen.paste(code, ((screen_w - code.width) // 2, (screen_h - code.height) // 2))
    phone.paste(screen, (20, 40))
    turned_mask = Image.new("L", phone.size, 255).rotate(8, expand=True, fillcolor=0)
    phone = phone.rotate(8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=0)
    image = scene(seed)
    image.paste(phone, ((WIDTH - phone.width) // 2, (HEIGHT - phone.height) // 2), turned_mask)
    pixels = np.asarray(image, dtype=np.float32)
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    moire = 14 * np.sin(2 * math.pi * (xs * 0.173 + ys * 0.061)) * np.sin(2 * math.pi * ys * 0.09)
    noise = rng.normal(0, 9, size=pixels.shape)
    shown = np.clip(pixels + moire + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(shown, "L").filter(ImageFilter.GaussianBlur(0.8))


def empty_frame(seed: int = 1) -> Image.Image:
    """The camera's view with no code in it (the person has stepped away)."""
    return scene(seed)


def gray(image: Image.Image) -> GrayFrame:
    """A PIL image as the decoder's ``GrayFrame`` (rows padded to 32 bytes, as video frames are)."""
    pixels = np.asarray(image.convert("L"), dtype=np.uint8)
    height, width = pixels.shape
    stride = (width + 31) // 32 * 32
    padded = np.zeros((height, stride), dtype=np.uint8)
    padded[:, :width] = pixels
    return GrayFrame(padded.tobytes(), width, height, stride)
