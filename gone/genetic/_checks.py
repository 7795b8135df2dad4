"""The int check of the genetic API (sizes, counts, generations): the core's own, so that every
int argument of gone is checked, and worded, the same way."""

from gone._checks import check_int

__all__ = ["check_int"]
