"""The passphrases of the shared view and of the phone link: salted scrypt hashes, mode 0600.

Each lives in a file beside the data: `network.duckdb` → `network.share-passphrase` (the
coach's read-only view) and `network.phone-passphrase` (the writable app on the network). The
file holds the KDF's parameters, the salt and the hash (never the passphrase). Checking
compares in constant time. Weak passphrases (blank, short, repetitive or among the most common
passwords) are refused before anything is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from lib.core.errors import ValidationError, WarmLeadsError

MIN_LENGTH = 8
MAX_LENGTH = 1024
SHARE = "share"  # the coach's read-only view
PHONE = "phone"  # the writable app, on the local network
KINDS = (SHARE, PHONE)
# The most common passwords of the public breach lists (each at least MIN_LENGTH long: shorter
# ones are refused anyway), compared without case and spaces. Anyone guessing tries them first.
COMMON_PASSWORDS = frozenset(
    {
        "password", "password1", "password12", "password123", "password1234", "passw0rd",
        "p@ssw0rd", "p@ssword", "12345678", "123456789", "1234567890", "0123456789",
        "87654321", "11111111", "00000000", "88888888", "12341234", "11223344", "qwertyui",
        "qwerty123", "qwertyuiop", "1q2w3e4r", "1qaz2wsx", "zaq12wsx", "asdfghjk", "asdfasdf",
        "abcd1234", "abc12345", "abcdefgh", "iloveyou", "iloveyou1", "sunshine", "princess",
        "football", "baseball", "welcome1", "welcome123", "letmein1", "trustno1", "superman",
        "starwars", "whatever", "computer", "michelle", "jennifer", "corvette", "mercedes",
        "passphrase", "changeme", "secret123", "admin123", "administrator", "monkey123",
        "dragon123", "master123", "opensesame", "warmleads", "warmleads1", "letmein123",
        "qwerty12345", "q1w2e3r4", "1234qwer", "123qweasd", "qweasdzxc", "11111111111",
    }
)  # fmt: skip
# scrypt's interactive-login parameters (RFC 7914 §2): ~16 MB and ~50 ms per check.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_HASH_BYTES = 32
_MAXMEM = 64 * 1024 * 1024


class PassphraseFileError(WarmLeadsError):
    """The passphrase file exists but cannot be read as one."""


@dataclass(frozen=True)
class StoredPassphrase:
    """A salted scrypt hash and the parameters it was made with."""

    salt: bytes
    digest: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def matches(self, attempt: str) -> bool:
        """True when `attempt` is the passphrase (constant-time comparison)."""
        return hmac.compare_digest(_derive(attempt, self.salt, self.n, self.r, self.p), self.digest)


def passphrase_path(data_path: Path, kind: str = SHARE) -> Path:
    """Where a passphrase of a data file lives: `network.duckdb` → `network.share-passphrase`."""
    if kind not in KINDS:
        raise ValueError(f"unknown passphrase kind {kind!r}")
    return data_path.with_name(f"{data_path.stem}.{kind}-passphrase")


def set_command(kind: str) -> str:
    """The command that sets the passphrase of `kind` (for messages)."""
    return f"python -m lib.cli {kind} --set-passphrase"


def _derive(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=_HASH_BYTES
    )


_WORDS_HINT = "three or four unrelated words are strong and easy to type, even on a phone"


def check_passphrase(secret: str) -> str:
    """The passphrase as given, or ValidationError when it is weak, too short or too long."""
    if not secret.strip():
        raise ValidationError("passphrase", f"it is blank or only spaces; {_WORDS_HINT}")
    if len(secret) < MIN_LENGTH:
        raise ValidationError("passphrase", f"use at least {MIN_LENGTH} characters")
    if len(secret) > MAX_LENGTH:
        raise ValidationError("passphrase", f"use at most {MAX_LENGTH} characters")
    if "".join(secret.lower().split()) in COMMON_PASSWORDS:
        raise ValidationError(
            "passphrase", f"it is one of the most common passwords, tried first; {_WORDS_HINT}"
        )
    if len(set(secret.lower()) - {" "}) < 4:
        raise ValidationError(
            "passphrase", f"it repeats too few characters to be hard to guess; {_WORDS_HINT}"
        )
    return secret


def strength_hint(secret: str) -> str:
    """A hint when an accepted passphrase is still easy to guess ("" when it looks strong)."""
    words = len(secret.split())
    if len(secret) >= 16 or (words >= 3 and len(secret) >= 12):
        return ""
    return (
        f"hint: {len(secret)} characters is short for a passphrase; {_WORDS_HINT} "
        "(16 characters or more)"
    )


def _make_private_folders(folder: Path) -> None:
    """Create `folder` and any missing parents, each readable by its owner only (0700)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700)
        os.chmod(path, 0o700)  # whatever the umask left


def set_passphrase(data_path: Path, secret: str, kind: str = SHARE) -> Path:
    """Store a salted hash of `secret` beside the data file (readable by its owner only)."""
    check_passphrase(secret)
    salt = secrets.token_bytes(16)
    record = {
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": salt.hex(),
        "hash": _derive(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P).hex(),
    }
    final = passphrase_path(data_path, kind)
    _make_private_folders(final.parent)
    tmp = final.with_name(final.name + ".tmp")
    tmp.unlink(missing_ok=True)
    # Created 0600 from the start (no moment when others could read it), then renamed in place.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(record, out)
        out.write("\n")
    os.replace(tmp, final)
    return final


def clear_passphrase(data_path: Path, kind: str = SHARE) -> bool:
    """Remove the passphrase file; True when there was one."""
    path = passphrase_path(data_path, kind)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def load_passphrase(data_path: Path, kind: str = SHARE) -> StoredPassphrase | None:
    """The stored passphrase hash, None when none is set; PassphraseFileError when damaged."""
    path = passphrase_path(data_path, kind)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PassphraseFileError(f"the passphrase file cannot be read ({exc.strerror})") from None
    try:
        record = json.loads(text)
        if record.get("kdf") != "scrypt":
            raise ValueError("not scrypt")
        stored = StoredPassphrase(
            salt=bytes.fromhex(record["salt"]),
            digest=bytes.fromhex(record["hash"]),
            n=int(record["n"]),
            r=int(record["r"]),
            p=int(record["p"]),
        )
        if len(stored.salt) < 16 or len(stored.digest) != _HASH_BYTES:
            raise ValueError("short salt or hash")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise PassphraseFileError(
            f"the passphrase file is damaged: set the passphrase again ({set_command(kind)})"
        ) from None
    return stored
