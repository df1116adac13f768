"""Reading text files: encodings, byte-order marks and size limits, with clear errors."""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from evidence_kb.model.errors import InputError, Problem

MAX_BYTES = 100 * 1024 * 1024  # 100 MB: larger inputs are refused, not half read

_CP1252_HINT = (
    "it looks like Windows-1252 or Latin-1 text (as Excel and Word save it); "
    "save the file as UTF-8, or pass encoding='cp1252' (ekb.load(path, encoding='cp1252'), "
    "evidence-kb COMMAND DIR --encoding cp1252, read_references(path, encoding='cp1252'))"
)


def check_size(path: Path, max_bytes: int, *, advice: str) -> None:
    """Refuse a missing file, or one larger than ``max_bytes`` (``advice`` says what to do)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError([Problem(path.name, None, None, None, "file not found")]) from None
    if size > max_bytes:
        msg = (
            f"file is {size / 1e6:.1f} MB, more than the limit of {max_bytes / 1e6:.0f} MB; "
            f"{advice}"
        )
        raise InputError([Problem(path.name, None, None, None, msg)])


def read_text(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> str:
    """Return the text of ``path`` decoded as UTF-8 (a byte-order mark is dropped).

    A file with a UTF-16 byte-order mark (Excel's "Unicode text") is read as UTF-16. A PDF,
    a gzip or zip archive (an ``.xlsx`` renamed ``.csv``), an old Office file or an image is
    refused by name; other bytes that are not UTF-8 are reported with their line, as
    probably Windows-1252.

    Parameters
    ----------
    path
        The file to read.
    encoding
        Decode with this encoding instead of UTF-8.
    max_bytes
        Refuse larger files with an :class:`~evidence_kb.InputError`.

    Raises
    ------
    InputError
        When the file is missing, too large or not valid in the encoding; the message names the
        line of the first undecodable byte.
    """
    path = Path(path)
    name = path.name
    check_size(path, max_bytes, advice="split it, or pass a larger max_bytes")
    data = path.read_bytes()
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as err:
            msg = f"cannot decode as {encoding}: {err}"
            raise InputError([Problem(name, None, None, None, msg)]) from None
        return text.removeprefix("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, name)  # Excel's "Unicode text" and some Windows tools
    kind = binary_kind(data)
    if kind is not None:
        msg = f"this is {kind}, not a text file; {_BINARY_ADVICE}"
        raise InputError([Problem(name, None, None, None, msg)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        byte = data[err.start : err.start + 1].hex()
        msg = f"byte 0x{byte} is not valid UTF-8: {_encoding_hint(data)}"
        raise InputError([Problem(name, line, None, None, msg)]) from None


def discard_stdout() -> None:
    """Send what is left of standard output to the null device, after its reader went away
    (a command piped into ``head``), so that Python's flush at exit raises nothing."""
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _encoding_hint(data: bytes) -> str:
    """What the bytes of a file that is not UTF-8 probably are, and what to do."""
    if data[:4000].count(b"\x00") > len(data[:4000]) // 4:
        return (
            "it looks like UTF-16 text without a byte-order mark; save the file as UTF-8, or "
            "pass encoding='utf-16-le'"
        )
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "the encoding is unknown; save the file as UTF-8 and read it again"
    return _CP1252_HINT


_BINARY_ADVICE = "export the data as text (CSV UTF-8, BibTeX, RIS, CSL-JSON) and read that file"
# the first bytes of the binary files people rename or mistake for text exports
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive (unpack it first)"),
    (b"PK\x03\x04", "a zip archive, e.g. an Excel workbook (.xlsx) or Word file (.docx)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls, .doc)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


def binary_kind(data: bytes) -> str | None:
    """What a binary file is, from its first bytes (``None``: no known kind).

    Examples
    --------
    >>> binary_kind(b"%PDF-1.7 ..."), binary_kind(b"TY  - JOUR")
    ('a PDF document', None)
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _decode_utf16(data: bytes, name: str) -> str:
    """Text with a UTF-16 byte-order mark, decoded (the mark dropped)."""
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as err:
        msg = f"the file starts as UTF-16 text but byte {err.start} is not valid UTF-16 ({err})"
        raise InputError([Problem(name, None, None, None, msg)]) from None


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8, atomically; see :func:`write_bytes`."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A crash halfway leaves the old file intact. The new file gets the usual permissions (an
    existing file keeps its own).
    """
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).chmod(mode)  # mkstemp makes the file private
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_mode(path: Path) -> int:
    """The mode a new file gets here (an existing file keeps its own)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# C0 control characters other than tab, newline and carriage return (Word's vertical tab \x0b
# for a soft line break, NUL from damaged files), and DEL: XML (Excel, GraphML, GEXF, DOCX,
# .qdc) cannot hold them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def find_control_characters(text: str) -> list[str]:
    r"""The control characters of ``text`` as readable names, e.g. ``['\\x0b']`` (no repeats)."""
    return sorted({f"\\x{ord(c):02x}" for c in CONTROL_CHARACTERS.findall(text)})


def clean_control_characters(text: str) -> str:
    r"""Remove the control characters of ``text`` (tab, newline and carriage return stay).

    Word's vertical tab (and a form feed) is a line break, so it becomes a newline.

    Examples
    --------
    >>> clean_control_characters("Vertrouwen\x0bzie ook\x00")
    'Vertrouwen\nzie ook'
    """
    if not CONTROL_CHARACTERS.search(text):
        return text
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    return CONTROL_CHARACTERS.sub("", text)


def control_character_problem(file: str, line: int | None, column: str | None, text: str):
    """A warning that ``text`` held control characters, which were cleaned."""
    found = ", ".join(find_control_characters(text))
    msg = (
        f"control character(s) {found} removed (a vertical tab is now a line break); "
        "they cannot be written to Excel, GraphML, GEXF or DOCX"
    )
    return Problem(file, line, column, clean_control_characters(text), msg, "warning")
