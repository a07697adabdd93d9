"""Sent e-mail: an mbox (Gmail Takeout, Thunderbird's "Sent") or `.eml` files, streamed.

Messages are split on their "From " lines and only their headers are parsed
(`email.parser.BytesHeaderParser` with `policy.default`): bodies are skipped, never read.
A message is sent when Gmail labelled it Sent (in the languages below) or its From is one
of the user's addresses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Iterator
from datetime import UTC
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr
from pathlib import Path

from lib.io.activity.model import ActivityFileError, Mail

# Gmail's "Sent" label as Takeout writes it in X-Gmail-Labels, by language.
SENT_LABELS: frozenset[str] = frozenset(
    label.casefold()
    for label in (
        "Sent",
        "Sent Mail",
        "Envoyés",
        "Messages envoyés",
        "Gesendet",
        "Enviados",
        "Enviado",
        "Inviati",
        "Posta inviata",
        "Verzonden",
        "Wysłane",
        "Отправленные",
        "送信済み",
        "已发送",
    )
)
# An mbox separator: "From <sender> <asctime date>" ("From 1@xxx Sat Jan 03 10:00:00 +0000 2026").
_FROM_DATE = re.compile(rb"\b\d{1,2} \d{1,2}:\d{2}(:\d{2})?\b.*\b\d{4}\b")
_PARSER = BytesHeaderParser(policy=policy.default)


def _labels(message: EmailMessage) -> set[str]:
    raw = str(message.get("X-Gmail-Labels", "") or "")
    return {label.strip().strip('"').casefold() for label in raw.split(",")}


def _mail(raw: bytes, mine: Collection[str]) -> Mail | None:
    """One message's headers as a Mail; None when it has no usable date."""
    message = _PARSER.parsebytes(raw)
    try:
        header = message.get("Date")
        at = header.datetime if header is not None else None
    except (TypeError, ValueError, AttributeError):
        at = None
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    sender = parseaddr(str(message.get("From", "") or ""))[1].strip().lower()
    sent = bool(_labels(message) & SENT_LABELS) or sender in mine
    # The values as written: policy.default's parser drops an address whose display name has
    # an unquoted "@" ('Mikel@Lindsaar <raasdnil@gmail.com>', as Apple Mail wrote it).
    fields = [
        " ".join(str(value).split())
        for name, value in message.raw_items()
        if name.lower() in ("to", "cc", "bcc")
    ]
    recipients = tuple(
        dict.fromkeys(a.strip().lower() for _, a in getaddresses(fields) if "@" in a)
    )
    subject = " ".join(str(message.get("Subject", "") or "").split())
    message_id = str(message.get("Message-ID", "") or "").strip()
    if not message_id:
        message_id = hashlib.sha256(raw[:4096]).hexdigest()[:32]
    return Mail(message_id, at, subject, recipients, sent)


def _messages(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """Each message's headers (bytes) with the line its "From " separator is on."""
    head: list[bytes] = []
    line_no = start = 0
    in_head = False
    for line_no, line in enumerate(lines, start=1):  # noqa: B007 (used after the loop)
        if line.startswith(b"From "):
            if in_head or head:
                yield start, b"".join(head)
            if not _FROM_DATE.search(line):
                shown = line[:60].decode("utf-8", "replace").rstrip()
                raise ActivityFileError(
                    f'line {line_no}: the "From " line has no date ({shown!r}): '
                    "not an mbox, or a damaged one"
                )
            head, in_head, start = [], True, line_no
        elif in_head:
            if line in (b"\n", b"\r\n"):
                in_head = False
            else:
                head.append(line)
        elif line_no == 1:
            raise ActivityFileError('not an mbox: the first line is not a "From " line')
    if head:
        yield start, b"".join(head)


def read_mbox(path: Path, mine: Collection[str] = ()) -> Iterator[Mail]:
    """Every dated message of an mbox, headers only; a damaged file raises ActivityFileError."""
    mine = {address.lower() for address in mine}
    with path.open("rb") as handle:
        for _, raw in _messages(handle):
            mail = _mail(raw, mine)
            if mail is not None:
                yield mail


def read_eml(path: Path, mine: Collection[str] = ()) -> Iterator[Mail]:
    """The one message of an .eml file (headers only)."""
    mine = {address.lower() for address in mine}
    with path.open("rb") as handle:
        head: list[bytes] = []
        for line in handle:
            if line in (b"\n", b"\r\n"):
                break
            head.append(line)
    if not head or b":" not in head[0]:
        raise ActivityFileError("not an e-mail: the file does not start with headers")
    mail = _mail(b"".join(head), mine)
    if mail is not None:
        yield mail
