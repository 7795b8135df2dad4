"""Digit classifier example: 8x8 scikit-learn digits or MNIST, trained with gone (see README.md)."""
