"""A drawing surface kept as a numpy array, so strokes can be drawn and tested without pygame."""

from __future__ import annotations

import numpy as np

# A digit drawn to fill the canvas is about 200 px tall; a 22 px wide pen gives it strokes
# about 11% of its height, the proportion of strokes in both digit data sets.
CANVAS_SIZE = 280
BRUSH_RADIUS = 11.0


class Canvas:
    """Square grey-level surface: `pixels[row, column]` is 0 for paper, 1 for full ink.

    Points are (x, y) pixel positions as a mouse gives them: x is the column, y the row.

    Example:
        >>> canvas = Canvas()
        >>> canvas.stroke((100, 60), (100, 220))   # a vertical bar: a "1"
        >>> canvas.is_empty()
        False
    """

    def __init__(self, size: int = CANVAS_SIZE, brush_radius: float = BRUSH_RADIUS):
        self.size = size
        self.brush_radius = float(brush_radius)
        self.pixels = np.zeros((size, size), dtype=np.float32)  # (rows, columns)

    def clear(self) -> None:
        """Wipe the canvas back to paper."""
        self.pixels.fill(0.0)

    def is_empty(self) -> bool:
        """True when nothing has been drawn."""
        return not self.pixels.any()

    def stroke(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        """Paint the pen's path from `start` to `end`: a capsule of radius `brush_radius`.

        The edge is anti-aliased over one pixel, so coverage = clip(radius + 0.5 - distance, 0, 1)
        where distance is from the pixel to the segment; ink only ever grows (maximum).
        """
        a = np.asarray(start, dtype=np.float64)  # (2,) as (x, y)
        b = np.asarray(end, dtype=np.float64)  # (2,)
        reach = self.brush_radius + 1.0
        # Only the pixels inside the segment's bounding box, widened by the pen, can change.
        left, top = np.floor(np.minimum(a, b) - reach).astype(int)
        right, bottom = np.ceil(np.maximum(a, b) + reach).astype(int) + 1
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, self.size), min(bottom, self.size)
        if left >= right or top >= bottom:
            return
        ys, xs = np.mgrid[top:bottom, left:right]  # (h, w) each
        points = np.stack([xs, ys], axis=-1).astype(np.float64)  # (h, w, 2)
        direction = b - a  # (2,)
        # Position along the segment of each pixel's nearest point, 0 at start, 1 at end;
        # a zero-length segment (a click) is a dot: every pixel's nearest point is the start.
        length2 = max(float(direction @ direction), 1e-12)
        t = np.clip((points - a) @ direction / length2, 0.0, 1.0)  # (h, w)
        nearest = a + t[..., None] * direction  # (h, w, 2)
        distance = np.linalg.norm(points - nearest, axis=-1)  # (h, w)
        coverage = np.clip(self.brush_radius + 0.5 - distance, 0.0, 1.0)  # (h, w)
        region = self.pixels[top:bottom, left:right]
        np.maximum(region, coverage, out=region)

    def polyline(self, points: list[tuple[float, float]]) -> None:
        """Paint a connected path through `points` (a single point paints a dot)."""
        if len(points) == 1:
            self.stroke(points[0], points[0])
        for start, end in zip(points[:-1], points[1:], strict=True):
            self.stroke(start, end)
