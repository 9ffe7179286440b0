"""The 100 km squares of the Ordnance Survey National Grid (EPSG:27700), which the OS
Downloads API uses as area codes.

Letters after the usual scheme: the first letter is the 500 km square, the second the 100 km
square inside it, each from a 5 × 5 grid of the letters A–Z without I.
"""

from __future__ import annotations

from typing import Iterable

GB = "GB"
SQUARE_SIZE = 100_000

# The squares the OS Downloads API knows (os-api/README.md), i.e. those that hold some of
# Great Britain's land.
AREA_CODES: tuple[str, ...] = tuple(
    "HP HT HU HW HX HY HZ NA NB NC ND NF NG NH NJ NK NL NM NN NO NR NS NT NU NW NX NY NZ OV SD "
    "SE TA SH SJ SK TF TG SM SN SO SP TL TM SR SS ST SU TQ TR SV SW SX SY SZ TV".split()
)


def _letter_index(letter: str) -> int:
    index = ord(letter) - ord("A")
    return index - 1 if index > 7 else index


def square_origin(code: str) -> tuple[int, int]:
    """South-west corner (easting, northing) in metres of a 100 km square such as `SU`."""
    code = code.strip().upper()
    if len(code) != 2 or not code.isalpha() or "I" in code:
        raise ValueError(f"not a 100 km National Grid square: {code!r}")
    first, second = _letter_index(code[0]), _letter_index(code[1])
    east = ((first - 2) % 5) * 5 + (second % 5)
    north = (19 - (first // 5) * 5) - (second // 5)
    return east * SQUARE_SIZE, north * SQUARE_SIZE


def square_bounds(code: str) -> tuple[int, int, int, int]:
    """(xmin, ymin, xmax, ymax) of a 100 km square in EPSG:27700."""
    x, y = square_origin(code)
    return x, y, x + SQUARE_SIZE, y + SQUARE_SIZE


def square_at(easting: float, northing: float) -> str:
    """The code of the 100 km square holding a point (whether or not OS serves it)."""
    east, north = int(easting // SQUARE_SIZE), int(northing // SQUARE_SIZE)
    first = (19 - north) - (19 - north) % 5 + (east + 10) // 5
    second = ((19 - north) * 5) % 25 + east % 5
    letters = [first + (1 if first > 7 else 0), second + (1 if second > 7 else 0)]
    return "".join(chr(ord("A") + n) for n in letters)


def squares_intersecting(
    xmin: float, ymin: float, xmax: float, ymax: float, known: Iterable[str] = AREA_CODES
) -> list[str]:
    """The known area codes whose square intersects the rectangle (EPSG:27700 metres)."""
    result = []
    for code in known:
        if code == GB:
            continue
        sx0, sy0, sx1, sy1 = square_bounds(code)
        if sx0 < xmax and xmin < sx1 and sy0 < ymax and ymin < sy1:
            result.append(code)
    return sorted(result)


def is_area_code(code: str) -> bool:
    return code.strip().upper() in AREA_CODES or code.strip().upper() == GB
