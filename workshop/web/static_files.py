"""Static files a phone on weak Wi-Fi fetches once: versioned by content, compressed, cached for a year.

At start the app copies every file of `static/` under a name carrying a hash of its content
(`js/page.js` -> `js/page.3f2a1b9c0d4e.js`) into a folder of this process, with its gzip and
Brotli variants beside it. WhiteNoise serves that folder in front of Flask: the browser gets the
variant its Accept-Encoding asks for, and `Cache-Control: public, max-age=31536000, immutable`,
so a reload fetches none of it again. `url_for('static', ...)` hands out the hashed name, so a
changed file gets a new URL and no browser keeps an old copy. The pages load plain scripts (no
module imports between files), so every static URL a page uses comes from a template.

A file asked for by its plain name (an old bookmark, a page rendered before a restart) is still
served by Flask, revalidated on every use.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

CACHE_CONTROL = "public, max-age=31536000, immutable"
HASH_LENGTH = 12

_built: dict[tuple[Path, str], Path] = {}  # one build per static folder and content, per process


def versioned_names(source: Path) -> dict[str, str]:
    """Each file's path under `source` ("js/page.js") -> the name that carries its content hash."""
    names = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
        stem, dot, extension = relative.rpartition(".")
        names[relative] = f"{stem}.{digest}.{extension}" if dot and "/" not in extension \
            else f"{relative}.{digest}"
    return names


def build(source: Path, target: Path, names: dict[str, str]) -> None:
    """Copy each file under its versioned name into `target`, with .gz and .br variants."""
    compressor = Compressor(quiet=True)
    for relative, versioned in names.items():
        copy = target / versioned
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, copy)
        if compressor.should_compress(copy.name):
            compressor.compress(str(copy))


def _built_folder(source: Path, names: dict[str, str]) -> Path:
    fingerprint = hashlib.sha256(repr(sorted(names.items())).encode()).hexdigest()
    key = (source, fingerprint)
    if key not in _built:
        target = Path(tempfile.mkdtemp(prefix="workshop-static-"))
        atexit.register(_remove, target, os.getpid())
        build(source, target, names)
        _built[key] = target
    return _built[key]


def _remove(folder: Path, creator: int) -> None:
    """Only the process that built the folder removes it: a forked child (a server that preloads
    the app) exits while its parent still serves from it."""
    if os.getpid() == creator:
        shutil.rmtree(folder, ignore_errors=True)


def _headers(headers, path, url) -> None:
    headers["Cache-Control"] = CACHE_CONTROL
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app: Flask) -> None:
    """Serve the versioned files in front of the app and make url_for('static') name them."""
    source = Path(app.static_folder)
    names = versioned_names(source)
    folder = _built_folder(source, names)
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(folder), prefix=app.static_url_path,
                              add_headers_function=_headers, allow_all_origins=False)

    @app.url_defaults
    def versioned_static_url(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]
