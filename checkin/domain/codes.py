"""Registration codes the app creates: random, easy to read aloud, signed.

A code is 10 random characters and a 4-character HMAC-SHA256 signature made
with the event secret, all from an alphabet without 0/O, 1/I/L (so nobody
has to ask "zero or O?"), e.g. ``K7PX3MQ9WTRV4N``. There is no hyphen: a
scanner set to a US layout on a German keyboard would type "ß" for it.
A forged or mistyped code fails the signature check without a database hit;
a typo in one character is caught with probability 1 - 1/31^4.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 10
SIGNATURE_LENGTH = 4
CODE_LENGTH = RANDOM_LENGTH + SIGNATURE_LENGTH
_ALPHABET_SET = frozenset(ALPHABET)


def _signature(payload: str, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(SIGNATURE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def generate_code(secret: str) -> str:
    """A new random code signed with ``secret``."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return payload + _signature(payload, secret)


def has_code_shape(text: str) -> bool:
    """True if ``text`` (already upper-cased) looks like a code this app creates."""
    return len(text) == CODE_LENGTH and all(ch in _ALPHABET_SET for ch in text)


def verify_code(code: str, secret: str) -> bool:
    """True if ``code`` has the shape of our codes and its signature matches ``secret``."""
    code = code.upper()
    if not has_code_shape(code):
        return False
    payload, signature = code[:RANDOM_LENGTH], code[RANDOM_LENGTH:]
    return hmac.compare_digest(signature, _signature(payload, secret))


def format_code(code: str) -> str:
    """Group a code for reading aloud or typing: ``K7PX 3MQ9 WTRV 4N``."""
    if not has_code_shape(code):
        return code
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
