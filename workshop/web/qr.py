"""The QR code on the projector: the join link of a session as an SVG image.

The link's base comes from `workshop.links.request_base_url` (never `localhost` when
phones could not reach it).
"""
from __future__ import annotations

import qrcode
from qrcode.image.svg import SvgPathFillImage

def join_url(base_url: str, join_code: str) -> str:
    return f"{base_url}/j/{join_code}"


def qr_svg(data: str) -> str:
    """An SVG (one path on a white square, scalable to any size) of the QR code for `data`."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=SvgPathFillImage)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")
