"""Turn a drawing into the input vector a digit network was trained on.

A network only knows its training data, so a drawing must be made to look like it:

- scikit-learn digits (UCI optdigits): the digit's bounding box is scaled to fit a
  32x32 binary field (aspect kept), then each 4x4 block's count of ink pixels gives an
  8x8 image with levels 0..16. In the data every digit touches the top and bottom rows
  and sits centred left-right by mass, and the pens were bold: about 30% of the 32x32
  pixels are ink. So the bitmap fills the height, is centred by mass across, and thin
  strokes are thickened (dilated) until a quarter of the field is ink.
- MNIST: the bounding box is scaled to fit a 20x20 box (aspect kept, grey levels from
  anti-aliasing) and pasted into 28x28 so that its centre of mass lands on the middle,
  pixel (14, 14).

Both work on a canvas array (rows, columns) with 0 = paper and 1 = ink; everything is
numpy, so it is tested without a window.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

INK_THRESHOLD = 0.05  # below this a pixel counts as paper when finding the bounding box

MNIST_FIELD = 28
MNIST_BOX = 20
MNIST_CENTRE = 14.0  # centre of mass of the MNIST digits, in pixel indices

OPTDIGITS_FIELD = 32
OPTDIGITS_BLOCK = 4  # 32 / 4 = 8 cells per side, 16 pixels per cell
OPTDIGITS_LEVELS = OPTDIGITS_BLOCK * OPTDIGITS_BLOCK
OPTDIGITS_INK = 0.25  # thicken thin drawings up to this share of ink pixels...
OPTDIGITS_MAX_THICKEN = 3  # ...by at most this many one-pixel dilations


def bounding_box(image: np.ndarray, threshold: float = INK_THRESHOLD) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the pixels above `threshold`, bottom/right exclusive.

    Raises ValueError when there is no ink.
    """
    ink = image > threshold  # (rows, columns)
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        raise ValueError("bounding box: expected some ink, got an empty image")
    return int(rows[0]), int(rows[-1]) + 1, int(columns[0]), int(columns[-1]) + 1


def area_weights(source: int, target: int) -> np.ndarray:
    """(target, source) matrix averaging source pixels into target pixels by overlap.

    Target pixel i covers [i*s, (i+1)*s) of the source axis, s = source / target; its
    weight on source pixel j is the overlap with [j, j+1), divided by s so rows sum to 1.
    """
    scale = source / target
    starts = np.arange(target)[:, None] * scale  # (target, 1)
    pixel = np.arange(source)[None, :]  # (1, source)
    overlap = np.minimum(starts + scale, pixel + 1) - np.maximum(starts, pixel)  # (target, source)
    return np.clip(overlap, 0.0, None) / scale


def resize_area(image: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Resize by area averaging, one matrix product per axis: R @ image @ C.T."""
    row_weights = area_weights(image.shape[0], rows)  # (rows, h)
    column_weights = area_weights(image.shape[1], columns)  # (columns, w)
    return row_weights @ image @ column_weights.T  # (rows, columns)


def fit_size(height: int, width: int, box_rows: int, box_columns: int) -> tuple[int, int]:
    """Largest (rows, columns) with the aspect of height x width that fits the box, each >= 1."""
    scale = min(box_rows / height, box_columns / width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the ink's centre of mass, in pixel indices."""
    total = image.sum()
    rows = image.sum(axis=1) @ np.arange(image.shape[0]) / total
    columns = image.sum(axis=0) @ np.arange(image.shape[1]) / total
    return float(rows), float(columns)


def paste(field: np.ndarray, patch: np.ndarray, top: int, left: int) -> np.ndarray:
    """Copy `patch` into `field` with its corner at (top, left), clipping what falls outside."""
    rows, columns = patch.shape
    field_top, field_left = max(top, 0), max(left, 0)
    field_bottom = min(top + rows, field.shape[0])
    field_right = min(left + columns, field.shape[1])
    if field_top < field_bottom and field_left < field_right:
        field[field_top:field_bottom, field_left:field_right] = patch[
            field_top - top : field_bottom - top, field_left - left : field_right - left
        ]
    return field


def paste_by_mass(patch: np.ndarray, size: int, centre: float) -> np.ndarray:
    """A size x size field with `patch` placed so its centre of mass is nearest (centre, centre)."""
    mass_row, mass_column = center_of_mass(patch)
    top, left = round(centre - mass_row), round(centre - mass_column)
    return paste(np.zeros((size, size), dtype=patch.dtype), patch, top, left)


def crop_to_ink(canvas: np.ndarray) -> np.ndarray | None:
    """The canvas cut to its ink's bounding box, or None for an empty canvas."""
    canvas = np.asarray(canvas, dtype=np.float64)
    if canvas.ndim != 2:
        raise ValueError(f"canvas: expected a 2-D array (rows, columns), got shape {canvas.shape}")
    if not (canvas > INK_THRESHOLD).any():
        return None
    top, bottom, left, right = bounding_box(canvas)
    return canvas[top:bottom, left:right]  # (h, w)


def to_mnist_image(canvas: np.ndarray) -> np.ndarray:
    """Canvas -> 28x28 float in [0, 1] framed like MNIST: 20x20 box, centre of mass at (14, 14)."""
    digit = crop_to_ink(canvas)
    if digit is None:
        return np.zeros((MNIST_FIELD, MNIST_FIELD))
    rows, columns = fit_size(*digit.shape, MNIST_BOX, MNIST_BOX)
    small = np.clip(resize_area(digit, rows, columns), 0.0, 1.0)  # (rows, columns) <= (20, 20)
    return paste_by_mass(small, MNIST_FIELD, MNIST_CENTRE)  # (28, 28)


def dilate(bitmap: np.ndarray) -> np.ndarray:
    """Grow the ink by one pixel up, down, left and right (a plus-shaped dilation)."""
    grown = bitmap.copy()
    grown[1:] |= bitmap[:-1]
    grown[:-1] |= bitmap[1:]
    grown[:, 1:] |= bitmap[:, :-1]
    grown[:, :-1] |= bitmap[:, 1:]
    return grown


def thicken(bitmap: np.ndarray, ink_share: float, max_steps: int) -> np.ndarray:
    """Dilate `bitmap` until `ink_share` of its pixels are ink, at most `max_steps` times."""
    for _ in range(max_steps):
        if bitmap.mean() >= ink_share:
            break
        bitmap = dilate(bitmap)
    return bitmap


def to_optdigits_image(canvas: np.ndarray) -> np.ndarray:
    """Canvas -> 8x8 ink counts 0..16 framed like scikit-learn's digits (UCI optdigits)."""
    cells = OPTDIGITS_FIELD // OPTDIGITS_BLOCK
    digit = crop_to_ink(canvas)
    if digit is None:
        return np.zeros((cells, cells))
    rows, columns = fit_size(*digit.shape, OPTDIGITS_FIELD, OPTDIGITS_FIELD)
    bitmap = resize_area(digit, rows, columns) >= 0.5  # (rows, columns) on/off pixels
    # Upright digits fill the height exactly; across, the centre of mass goes to the middle.
    _, mass_column = center_of_mass(bitmap.astype(np.float64))
    top = (OPTDIGITS_FIELD - rows) // 2
    left = round((OPTDIGITS_FIELD - 1) / 2 - mass_column)
    field = paste(np.zeros((OPTDIGITS_FIELD, OPTDIGITS_FIELD), dtype=bool), bitmap, top, left)
    field = thicken(field, OPTDIGITS_INK, OPTDIGITS_MAX_THICKEN)  # (32, 32)
    blocks = field.reshape(cells, OPTDIGITS_BLOCK, cells, OPTDIGITS_BLOCK)  # (8, 4, 8, 4)
    return blocks.sum(axis=(1, 3)).astype(np.float64)  # (8, 8) counts 0..16


def mnist_input(canvas: np.ndarray) -> np.ndarray:
    """Canvas -> (784,) float32 in [0, 1], the MNIST network's input (pixels / 255 in training)."""
    return to_mnist_image(canvas).reshape(-1).astype(np.float32)


def digits_input(canvas: np.ndarray) -> np.ndarray:
    """Canvas -> (64,) float32 in [0, 1], the 8x8 network's input (counts / 16 in training)."""
    return (to_optdigits_image(canvas) / OPTDIGITS_LEVELS).reshape(-1).astype(np.float32)


# Data set name -> (canvas -> input vector), and the image shape that vector reshapes to.
PREPROCESSORS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "digits": digits_input,
    "mnist": mnist_input,
}
INPUT_SHAPES = {"digits": (8, 8), "mnist": (MNIST_FIELD, MNIST_FIELD)}


def preprocessor(dataset: str) -> Callable[[np.ndarray], np.ndarray]:
    """The canvas -> input function for a data set name ("digits" or "mnist")."""
    try:
        return PREPROCESSORS[dataset]
    except KeyError:
        names = ", ".join(sorted(PREPROCESSORS))
        raise ValueError(f"data set: expected one of {names}, got {dataset!r}") from None
