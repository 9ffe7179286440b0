"""National Grid 100 km squares: letters <-> coordinates."""

import pytest
from os_data_hub_loader.api.national_grid import (
    AREA_CODES,
    is_area_code,
    square_at,
    square_bounds,
    square_origin,
    squares_intersecting,
)


@pytest.mark.parametrize(
    ("code", "origin"),
    [("SV", (0, 0)), ("SU", (400_000, 100_000)), ("TQ", (500_000, 100_000)),
     ("NS", (200_000, 600_000)), ("HP", (400_000, 1_200_000)), ("TV", (500_000, 0)),
     ("OV", (500_000, 500_000))],
)
def test_known_square_origins(code, origin):
    assert square_origin(code) == origin
    assert square_origin(code.lower()) == origin


def test_every_area_code_round_trips():
    assert len(AREA_CODES) == 55 and len(set(AREA_CODES)) == 55
    for code in AREA_CODES:
        x, y = square_origin(code)
        assert square_at(x + 50_000, y + 50_000) == code


@pytest.mark.parametrize("bad", ["", "S", "SUU", "S1", "IA", "AI"])
def test_bad_codes_are_refused(bad):
    with pytest.raises(ValueError):
        square_origin(bad)


def test_squares_intersecting_a_rectangle():
    # Southampton to London: SU and TQ (and only those).
    assert squares_intersecting(440_000, 110_000, 530_000, 180_000) == ["SU", "TQ"]
    # A rectangle touching a square's edge does not pick the neighbour.
    assert squares_intersecting(400_000, 100_000, 500_000, 200_000) == ["SU"]
    # Far out at sea: nothing.
    assert squares_intersecting(-200_000, -200_000, -100_000, -100_000) == []


def test_bounds_and_membership():
    assert square_bounds("SU") == (400_000, 100_000, 500_000, 200_000)
    assert is_area_code("gb") and is_area_code(" su ") and not is_area_code("SA")
