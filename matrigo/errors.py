"""The one error type of matrigo: shapes that do not fit together."""


class ShapeError(ValueError):
    """Matrices or data whose shapes do not fit the operation.

    A ValueError, so code that catches ValueError keeps working; the message
    names both shapes, e.g. ``"add_matrix: expected a 2x3 matrix, got 3x2"``.
    gone subclasses it, so ``except matrigo.ShapeError`` also catches gone's.

    Example:
        >>> from matrigo import Matrix, ShapeError
        >>> try:
        ...     Matrix(2, 3).add_matrix(Matrix(3, 2))
        ... except ShapeError as error:
        ...     print(error)
        add_matrix: expected a 2x3 matrix, got 3x2
    """
