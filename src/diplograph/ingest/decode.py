"""Bytes to text: UTF-8 first, legacy encodings detected, binary and empty input refused."""

from __future__ import annotations

import unicodedata

from charset_normalizer import from_bytes

from diplograph.ingest.errors import Rejected

# Share of control characters (other than tab/newline/CR/form feed) above which text is binary.
_MAX_CONTROL_SHARE = 0.01
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}


def looks_binary(sample: bytes) -> bool:
    """True for data that is not text in any encoding: NUL bytes or many control bytes."""
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > _MAX_CONTROL_SHARE


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    UTF-8 (with or without BOM) is taken as is. Anything else is handed to charset-normalizer,
    which recognises legacy encodings such as cp1251 and latin-1. Raises :class:`Rejected` for
    empty or binary data and for bytes that fit no encoding.
    """
    if not data.strip():
        raise Rejected("empty input")
    if looks_binary(data[:65536]):
        raise Rejected("binary data, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return _normalise(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if (mostly := _mostly_utf8(data)) is not None:
        return _normalise(mostly), "utf-8 (damaged bytes replaced)"
    best = _best_legacy(data)
    if best is None or best.encoding in {"utf_8", "utf_8_sig", "ascii"}:
        raise Rejected(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no known legacy encoding fits"
        )
    text = str(best)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise Rejected(f"not valid UTF-8 and decodes as {best.encoding} only to garbage")
    return _normalise(text), best.encoding


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes: keep it UTF-8 (stray bytes become U+FFFD)."""
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return text if multibyte > damaged * 3 else None


# On a tie between single-byte code pages, prefer the ones Western news is written in.
_PREFERRED_ON_TIE = ("cp1252", "latin_1", "iso8859_15", "cp1251")


def _best_legacy(data: bytes):  # noqa: ANN202 - charset_normalizer.CharsetMatch
    """charset-normalizer's best guess, with ties broken toward common news encodings."""
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    for encoding in _PREFERRED_ON_TIE:
        for match in tied:
            if match.encoding == encoding:
                return match
    return best


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(
        1
        for ch in text
        if unicodedata.category(ch) in {"Cc", "Cs", "Co"} and ch not in _TEXT_CONTROLS
    )
    return bad / len(text)


def _normalise(text: str) -> str:
    """Unify newlines and Unicode composition."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
