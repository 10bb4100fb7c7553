"""A resident's photo: checked as an image, re-encoded, stripped of EXIF (GPS, camera, time)."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from concord.i18n import gettext as _
from drafting.errors import BadInput

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # larger than any phone camera; guards against decompression bombs
LONGEST_SIDE = 1600
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


@dataclass
class Photo:
    """A re-encoded JPEG with nothing but pixels in it."""

    data: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def clean_photo(raw: bytes) -> Photo:
    """Return the photo re-encoded as a plain JPEG, or raise BadInput naming what is wrong."""
    if not raw:
        raise BadInput(_("照片文件是空的。"), field="photo")
    if len(raw) > MAX_BYTES:
        raise BadInput(_("照片过大（上限 8 MB），请换一张或缩小后再传。"), field="photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                kind = probe.format
                probe.verify()
            if kind not in FORMATS:
                raise BadInput(_("照片应为 JPEG、PNG 或 WebP 图片。"), field="photo")
            image = Image.open(io.BytesIO(raw))
            if image.width * image.height > MAX_PIXELS:
                raise BadInput(_("照片像素过多，请缩小后再传。"), field="photo")
            image.load()
    except BadInput:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise BadInput(_("上传的文件不是可以识别的图片。"), field="photo") from None
    # Turn the picture upright as the camera meant it, then drop every tag with the pixels kept.
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGB")
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return Photo(out.getvalue(), image.width, image.height)
