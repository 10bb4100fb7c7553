"""The printable poster of a station or deputy: name, QR code, one line of instructions."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

A4_300DPI = (2480, 3508)
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def cjk_font_path() -> str | None:
    """Return a font file that has Chinese glyphs, or None when the machine has none."""
    for path in CJK_FONTS:
        if Path(path).exists():
            return path
    try:
        from matplotlib import font_manager

        for font in font_manager.fontManager.ttflist:
            if any(k in font.name for k in ("CJK", "Droid Sans Fallback", "WenQuanYi", "Hei")):
                return font.fname
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    return None


@cache
def _font(size: int, latin: bool = False) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    # Some CJK fallback fonts draw Latin letters as boxes; the address is printed in a Latin face.
    path = LATIN_FONT if latin and Path(LATIN_FONT).exists() else cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """Return the QR code of `url` as a PNG (error correction Q: survives a scratched sticker)."""
    out = io.BytesIO()
    segno.make(url, error="q", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str) -> bytes:
    """Return the QR code of `url` as a scalable SVG for print shops."""
    out = io.BytesIO()
    segno.make(url, error="q", micro=False).save(out, kind="svg", scale=10, border=4, xmldecl=True)
    return out.getvalue()


def _centred(
    draw: ImageDraw.ImageDraw, y: int, text: str, size: int, fill: str, latin: bool = False
) -> int:
    font = _font(size, latin)
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((A4_300DPI[0] - (box[2] - box[0])) // 2, y), text, font=font, fill=fill)
    return y + (box[3] - box[1]) + size // 2


def poster_image(*, name: str, heading: str, instructions: str, url: str) -> Image.Image:
    """Return an A4 portrait poster at 300 dpi."""
    width, height = A4_300DPI
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, width, 330), fill="#9b1c1c")
    _centred(draw, 100, heading, 130, "white")
    y = _centred(draw, 480, name, 150 if len(name) <= 14 else 110, "#1d232b")
    qr = Image.open(io.BytesIO(qr_png(url, scale=40))).convert("RGB")
    side = 1600
    qr = qr.resize((side, side), Image.NEAREST)
    top = max(y + 60, 800)
    img.paste(qr, ((width - side) // 2, top))
    y = top + side + 80
    for line in instructions.split("\n"):
        y = _centred(draw, y, line, 90, "#1d232b")
    _centred(draw, height - 260, url, 48, "#5a6470", latin=True)
    return img


def poster_png(**fields) -> bytes:
    """Return the poster as a PNG."""
    out = io.BytesIO()
    poster_image(**fields).save(out, "PNG", dpi=(300, 300), optimize=True)
    return out.getvalue()


def poster_pdf(**fields) -> bytes:
    """Return the poster as a one-page A4 PDF."""
    out = io.BytesIO()
    poster_image(**fields).save(out, "PDF", resolution=300.0)
    return out.getvalue()
