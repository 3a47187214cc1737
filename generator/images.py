"""Pictures a topic shows: read, checked and measured before any page uses one.

A picture is a plain PNG, JPEG or WebP file in the content's `images/` folder. It must be
what its name says (a renamed file, or an SVG, which can carry script, is refused), small
enough for a phone on a slow connection, and its size in pixels is read here so the page can
reserve its space before it loads. Nothing here follows a link or trusts a file's name.
"""

from __future__ import annotations

import dataclasses
import os
import struct
from pathlib import Path

from generator.tree import misfit

IMAGES_DIR = "images"
MAX_BYTES = 200 * 1024  # a picture on a cheap phone's data plan: at most this much
MAX_SIDE = 4000


@dataclasses.dataclass(frozen=True)
class Picture:
    """A checked picture: where it goes in the site, its bytes and its size in pixels."""

    name: str  # "images/x.png", as the topic names it and as the site serves it
    data: bytes
    width: int
    height: int


class BadPicture(Exception):
    """Why a picture cannot be shown, and what to do, in an editor's words."""

    def __init__(self, message: str, hint: str, code: str = "bad-image"):
        super().__init__(message)
        self.message, self.hint, self.code = message, hint, code


def read_picture(content_dir: Path, name: str, display: str) -> Picture:
    """The picture `name` ("images/x.png") under `content_dir`, checked and measured."""
    folder = content_dir / IMAGES_DIR
    path = content_dir / name
    if folder.is_symlink():
        raise BadPicture("the images folder is a link to another folder",
                         "put the folder itself in the content folder", "symlink")
    problem = misfit(path, display, "picture")
    if problem is not None:
        raise BadPicture(problem.message, problem.hint, problem.code)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                             | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise BadPicture(f"there is no picture {name}",
                         f"put the file in the content folder's {IMAGES_DIR}/ folder, or "
                         "check the name", "missing-file") from None
    except OSError as error:
        raise BadPicture(f"the picture {name} cannot be read ({error.strerror})",
                         "check that it is a file you can open", "cannot-read") from None
    with os.fdopen(descriptor, "rb") as file:
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise BadPicture(f"the picture {name} is larger than {MAX_BYTES // 1024} KB",
                         "make it smaller (fewer pixels, or more compression): pictures must "
                         "load quickly on a phone", "image-too-large")
    width, height = _measure(data, name)
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise BadPicture(f"the picture {name} is {width} × {height} pixels",
                         f"give it sides of at most {MAX_SIDE} pixels")
    return Picture(name, data, width, height)


def _measure(data: bytes, name: str) -> tuple[int, int]:
    """Width and height from the file's own header; the name's ending must agree with it."""
    ending = name.rsplit(".", 1)[-1]
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and ending == "png":
            return struct.unpack(">II", data[16:24])
        if data.startswith(b"\xff\xd8") and ending in {"jpg", "jpeg"}:
            return _jpeg_size(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and ending == "webp":
            return _webp_size(data)
    except (struct.error, IndexError, ValueError):
        pass
    raise BadPicture(f"{name} is not a {ending.upper()} picture this site can show",
                     "save it as a PNG, JPEG or WebP picture with the matching ending")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            raise ValueError("not a marker")
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE,
                      0xCF}:
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    raise ValueError("no size")


def _webp_size(data: bytes) -> tuple[int, int]:
    kind = data[12:16]
    if kind == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if kind == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8X":
        return (int.from_bytes(data[24:27], "little") + 1,
                int.from_bytes(data[27:30], "little") + 1)
    raise ValueError("unknown WebP")
