"""The shared view's passphrase: a salted scrypt hash in a file beside the data, mode 0600.

`network.duckdb` → `network.share-passphrase`. The file holds the KDF's parameters, the salt
and the hash (never the passphrase). Checking compares in constant time.
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


def passphrase_path(data_path: Path) -> Path:
    """Where the passphrase of a data file lives: `network.duckdb` → `network.share-passphrase`."""
    return data_path.with_name(f"{data_path.stem}.share-passphrase")


def _derive(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=_HASH_BYTES
    )


def check_passphrase(secret: str) -> str:
    """The passphrase as given, or ValidationError when it is too short or too long."""
    if len(secret) < MIN_LENGTH:
        raise ValidationError("passphrase", f"use at least {MIN_LENGTH} characters")
    if len(secret) > MAX_LENGTH:
        raise ValidationError("passphrase", f"use at most {MAX_LENGTH} characters")
    return secret


def set_passphrase(data_path: Path, secret: str) -> Path:
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
    final = passphrase_path(data_path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(final.name + ".tmp")
    tmp.unlink(missing_ok=True)
    # Created 0600 from the start (no moment when others could read it), then renamed in place.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(record, out)
        out.write("\n")
    os.replace(tmp, final)
    return final


def clear_passphrase(data_path: Path) -> bool:
    """Remove the passphrase file; True when there was one."""
    path = passphrase_path(data_path)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def load_passphrase(data_path: Path) -> StoredPassphrase | None:
    """The stored passphrase hash, None when none is set; PassphraseFileError when damaged."""
    path = passphrase_path(data_path)
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
            "the passphrase file is damaged: set the passphrase again "
            "(python -m lib.cli share --set-passphrase)"
        ) from None
    return stored
