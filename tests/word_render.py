"""Renders a Word document to PDF with LibreOffice, in TH Sarabun New's size, for the layout tests.

TH Sarabun New is not in Debian (its licence is the DIP SIPA's own), and the Word plan names it.
Debian's Laksaman (fonts-thai-tlwg) is drawn from TH Sarabun PSK, but one and a half times as
large: fonts-thai-tlwg's own fontconfig rule (89-tlwg-laksaman-synthetic.conf) draws "TH Sarabun"
as Laksaman scaled to 0.66, and LibreOffice ignores such scaling. So the render gets a stand-in:
Laksaman with its em enlarged to 1000 / 0.66 units, which draws every glyph, advance and line
height at 0.66 of Laksaman's size, installed under the name "TH Sarabun New" in a font folder
of the test's own that only this LibreOffice process sees (FONTCONFIG_FILE). Nothing is
installed on the machine. Each render has its own LibreOffice profile, so parallel runs never
share one.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from fontTools.ttLib import TTFont

LAKSAMAN = Path("/usr/share/fonts/truetype/tlwg")
SARABUN_SCALE = 0.66  # fonts-thai-tlwg's TH Sarabun from Laksaman
STAND_IN = "TH Sarabun New"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _stand_in_fonts(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for source, style in (("Laksaman.ttf", "Regular"), ("Laksaman-Bold.ttf", "Bold")):
        font = TTFont(LAKSAMAN / source)
        font["head"].unitsPerEm = round(font["head"].unitsPerEm / SARABUN_SCALE)
        names = font["name"]
        for record in list(names.names):
            if record.nameID in (1, 16):
                names.setName(STAND_IN, record.nameID, record.platformID, record.platEncID,
                              record.langID)
            elif record.nameID in (4, 6):
                full = f"{STAND_IN} {style}" if record.nameID == 4 else f"THSarabunNew-{style}"
                names.setName(full, record.nameID, record.platformID, record.platEncID,
                              record.langID)
        font.save(folder / f"stand-in-{style}.ttf")


def render_pdf(docx: bytes, folder: Path) -> bytes:
    """The PDF LibreOffice makes of `docx`, working in `folder` (fonts, profile, files)."""
    fonts = folder / "fonts"
    _stand_in_fonts(fonts)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<dir>{fonts}</dir><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f'<cachedir>{folder / "fontcache"}</cachedir></fontconfig>')
    source = folder / "plan.docx"
    source.write_bytes(docx)
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "HOME": str(folder)}
    subprocess.run([soffice(), f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   env=env, check=True, capture_output=True, timeout=600)
    return (folder / "plan.pdf").read_bytes()
