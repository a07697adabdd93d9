"""The phone link's address as a QR code: block characters for the terminal, a PNG for Today.

segno draws both (no image library needed); the code holds the address and nothing else.
"""

from __future__ import annotations

import io


def qr_text(url: str) -> str:
    """A QR code of `url` drawn with block characters, for the terminal."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def qr_png(url: str, *, scale: int = 6) -> bytes:
    """A QR code of `url` as PNG bytes (black on white, a quiet zone around it)."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
