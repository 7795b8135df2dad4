"""The numpy drawing canvas: strokes are capsules of the brush radius, clipped to the canvas."""

import numpy as np

from examples.digits.canvas import Canvas


def test_a_new_canvas_is_empty():
    canvas = Canvas(50, 3)
    assert canvas.is_empty()
    assert canvas.pixels.shape == (50, 50)


def test_a_dot_is_a_disc_of_the_brush_radius():
    canvas = Canvas(40, 5)
    canvas.stroke((20, 10), (20, 10))  # (x, y): column 20, row 10
    assert canvas.pixels[10, 20] == 1.0
    assert canvas.pixels[10, 24] == 1.0  # inside the radius
    assert canvas.pixels[10, 27] == 0.0  # outside radius + the anti-aliased edge
    assert canvas.pixels[14, 20] == 1.0 and canvas.pixels[17, 20] == 0.0
    ink_rows, ink_columns = np.nonzero(canvas.pixels)
    assert abs(ink_rows.mean() - 10) < 1e-9 and abs(ink_columns.mean() - 20) < 1e-9


def test_a_stroke_is_inked_all_along():
    canvas = Canvas(60, 2)
    canvas.stroke((5, 30), (55, 30))
    assert (canvas.pixels[30, 5:56] == 1.0).all()
    assert canvas.pixels[20, 30] == 0.0


def test_values_stay_in_zero_one_where_strokes_cross():
    canvas = Canvas(60, 4)
    canvas.polyline([(10, 10), (50, 50), (10, 50), (50, 10)])
    assert canvas.pixels.max() == 1.0 and canvas.pixels.min() == 0.0
    assert 0 < canvas.pixels[canvas.pixels < 1].max() < 1  # a soft edge exists


def test_strokes_off_the_canvas_are_clipped():
    canvas = Canvas(30, 3)
    canvas.stroke((-20, 15), (50, 15))
    assert (canvas.pixels[15] == 1.0).all()
    canvas.clear()
    canvas.stroke((-50, -50), (-40, -40))
    assert canvas.is_empty()


def test_clear_wipes_everything():
    canvas = Canvas(30, 3)
    canvas.polyline([(5, 5)])
    assert not canvas.is_empty()
    canvas.clear()
    assert canvas.is_empty()
