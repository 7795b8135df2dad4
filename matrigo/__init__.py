"""matrigo: a small chainable 2-D matrix over numpy, the Python counterpart of Go's fr3fou/matrigo.

    >>> from matrigo import Matrix
    >>> Matrix.unflatten(2, 2, range(4)).multiply(Matrix.from_array([1, 1])).sum()
    6.0

Shape mistakes raise `ShapeError` (a ValueError) naming both shapes.
"""

from matrigo.errors import ShapeError
from matrigo.matrix import Matrix

__all__ = ["Matrix", "ShapeError"]
