"""Numbers as Thai offices write them: Thai digits (๐-๙) and amounts of baht.

- `thai_digits("2570")` is "๒๕๗๐"; `arabic_digits` turns them back.
- `parse_baht` reads what people type into a budget: "1,500,000", "1500000 บาท",
  "๑,๕๐๐,๐๐๐", "1.5 ล้านบาท"; whole baht, never negative, at most MAX_BAHT.
- `format_baht(1500000)` is "1,500,000".
Pure Python: no Flask, no database, no I/O.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MAX_BAHT = 10 ** 12  # a million million baht: more than any one plan item's budget
_AMOUNT = re.compile(r"^(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>ล้านบาท|ล้าน|บาท)?$")


def thai_digits(text: str) -> str:
    return text.translate(THAI_DIGITS)


def arabic_digits(text: str) -> str:
    return text.translate(ARABIC_DIGITS)


def parse_baht(text: str) -> int:
    """Whole baht from typed text; ValueError with the reason when it is no amount."""
    cleaned = " ".join(arabic_digits(text or "").split())
    match = _AMOUNT.match(cleaned)
    if not match or ",," in match.group("number"):
        raise ValueError(f"an amount of baht is written like 1,500,000, got {text!r}")
    try:
        amount = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"an amount of baht is written like 1,500,000, got {text!r}") from None
    if match.group("unit") in ("ล้าน", "ล้านบาท"):
        amount *= 1_000_000
    if amount != amount.to_integral_value():
        raise ValueError(f"a budget is in whole baht, got {text!r}")
    if amount > MAX_BAHT:
        raise ValueError(f"a budget is at most {MAX_BAHT:,} baht, got {text!r}")
    return int(amount)


def format_baht(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}"
