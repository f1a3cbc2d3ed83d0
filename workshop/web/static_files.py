"""Static files a phone on weak Wi-Fi fetches once: versioned by content, compressed, cached for a year.

At start the app copies every file of `static/` under a name carrying a hash of its content
(`js/page.js` -> `js/page.3f2a1b9c0d4e.js`), with its gzip and Brotli variants beside it, into
`static-build/<hash of all names>/` in the data folder. The folder is named by the content, so
a restart, a second worker on the same data folder or a server started again after a crash
finds it built and reuses it; it is built under a temporary name and renamed into place in one
step, so a worker never serves a half-built folder and two workers building at once both end
with the same complete one. Folders of older versions of `static/` not used for a week are
removed at start. WhiteNoise serves that folder in front of Flask: the browser gets the
variant its Accept-Encoding asks for, and `Cache-Control: public, max-age=31536000, immutable`,
so a reload fetches none of it again. `url_for('static', ...)` hands out the hashed name, so a
changed file gets a new URL and no browser keeps an old copy. The pages load plain scripts (no
module imports between files), so every static URL a page uses comes from a template.

A file asked for by its plain name (an old bookmark, a page rendered before a restart) is still
served by Flask, revalidated on every use.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

CACHE_CONTROL = "public, max-age=31536000, immutable"
HASH_LENGTH = 12
BUILD_FOLDER = "static-build"  # in the data folder
BUILDING = ".building-"  # a build not yet renamed into place
STALE_SECONDS = 7 * 24 * 3600  # an unused old version's build (a crashed build's too) goes after

# The folder each static folder and content was found or built in, per process: a second app
# of the same process (tests make one per test) serves from the first one's folder.
_built: dict[tuple[Path, str], Path] = {}


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


def _built_folder(source: Path, names: dict[str, str], root: Path) -> Path:
    fingerprint = hashlib.sha256(repr(sorted(names.items())).encode()).hexdigest()[:HASH_LENGTH]
    key = (source, fingerprint)
    if key not in _built or not _built[key].is_dir():
        _built[key] = _build_once(source, names, root / fingerprint)
    return _built[key]


def _build_once(source: Path, names: dict[str, str], target: Path) -> Path:
    """`target` complete: found built, or built beside it and renamed into place."""
    root = target.parent
    root.mkdir(parents=True, exist_ok=True)
    if not target.is_dir():
        building = Path(tempfile.mkdtemp(prefix=BUILDING, dir=root))
        try:
            build(source, building, names)
            os.rename(building, target)
        except OSError:
            if not target.is_dir():  # not another worker's build that won the race
                raise
        finally:
            shutil.rmtree(building, ignore_errors=True)
    os.utime(target)  # in use: spared by the clean-up of old versions
    _remove_stale(root, keep=target)
    return target


def _remove_stale(root: Path, keep: Path) -> None:
    """Remove builds of other versions unused for STALE_SECONDS, and builds a crash cut short."""
    now = time.time()
    for folder in root.iterdir():
        try:
            stale = folder != keep and now - folder.stat().st_mtime > STALE_SECONDS
        except OSError:  # renamed into place or removed by another worker meanwhile
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)


def _headers(headers, path, url) -> None:
    headers["Cache-Control"] = CACHE_CONTROL
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app: Flask, data_dir: Path) -> None:
    """Serve the versioned files in front of the app and make url_for('static') name them;
    they are built (once per content) in `data_dir`."""
    source = Path(app.static_folder)
    names = versioned_names(source)
    folder = _built_folder(source, names, Path(data_dir) / BUILD_FOLDER)
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(folder), prefix=app.static_url_path,
                              add_headers_function=_headers, allow_all_origins=False)

    @app.url_defaults
    def versioned_static_url(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]
