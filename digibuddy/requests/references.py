"""Reference codes residents can read out on the phone: no 0/O/1/I, 8 symbols (40 bits), hard to guess."""

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_reference(typed: str | None) -> str:
    """What a resident typed ('k7qx-m3pd ', 'K7QX M3PD') as stored ('K7QXM3PD')."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())[:20]


def display_reference(reference: str) -> str:
    """Shown in two groups of four, easier to read aloud and copy: K7QX-M3PD."""
    return f"{reference[:4]}-{reference[4:]}" if len(reference) == LENGTH else reference


def looks_valid(reference: str) -> bool:
    return len(reference) == LENGTH and all(ch in ALPHABET for ch in reference)
