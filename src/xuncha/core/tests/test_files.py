"""Uploads checked by content: an image larger than the pixel limit is refused from its header, before any
decoding (Pillow itself only warns up to twice its limit)."""

import io
import warnings

import pytest
from PIL import Image

from xuncha.core.errors import Refused
from xuncha.core.files import MAX_PIXELS, Upload, check


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # made on purpose
        Image.new("1", (width, height)).save(out, format="PNG")  # one bit a pixel: small on disk
    return out.getvalue()


def test_an_image_between_the_limit_and_twice_it_is_refused_undecoded(monkeypatch):
    data = _png(7_000, 7_000)
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size))
    assert MAX_PIXELS < 7_000 * 7_000 < 2 * MAX_PIXELS and len(data) < 100_000
    with pytest.raises(Refused) as refused:
        check([Upload("大图.png", data)])
    assert refused.value.field == "attachments" and "过大" in refused.value.message
    assert decoded == []


def test_an_image_within_the_limit_is_accepted():
    (checked,) = check([Upload("小图.png", _png(600, 400))])
    assert checked.content_type == "image/png"
    assert Image.open(io.BytesIO(checked.data)).size == (600, 400)


@pytest.mark.parametrize("cut", [12, 40, 60])
def test_a_truncated_png_is_refused_in_chinese(cut):
    with pytest.raises(Refused) as refused:
        check([Upload("截断.png", _png(600, 400)[:cut])])
    assert refused.value.field == "attachments" and "损坏" in refused.value.message
