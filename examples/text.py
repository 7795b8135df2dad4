"""Lines of text for the pygame windows, rendered with pygame.freetype and cached.

Why not `pygame.font`: with its default font (freesansbold) at the small sizes of a HUD or a
panel, pygame.font (SDL_ttf 2.20) spaces letters unevenly, a pixel too far apart here and
there, and where depends on the word's place in the line: on the Flappy panel "gap bottom"
came out as "gap bot tom", while "bottom" alone looked right (tests/examples/test_text.py
measures it). pygame.freetype lays out the whole line itself and spaces a word the same
wherever it stands, with the same font.

Sizes are the font's pixel size (the em height), about 0.69 of the same number given to
`pygame.font.Font(None, size)`. Every line is padded to the font's full height (`pad`), so
lines of one size line up whatever their letters.
"""

from __future__ import annotations

import pygame
import pygame.freetype

CACHE_SIZE = 512  # distinct (text, size, colour) lines kept; a frame shows a few dozen


class TextCache:
    """Rendered lines of text by (text, size, colour): most lines repeat from frame to frame.

    Example:
        >>> texts = TextCache()
        >>> screen.blit(texts.render("generation 4", 15, (255, 255, 255)), (9, 420))
    """

    def __init__(self, cache_size: int = CACHE_SIZE):
        """Start empty; fonts are opened on first use of each size."""
        pygame.freetype.init()
        self.cache_size = cache_size
        self._fonts: dict[int, pygame.freetype.Font] = {}
        self._lines: dict[tuple, pygame.Surface] = {}

    def font(self, size: int) -> pygame.freetype.Font:
        """pygame's default font at `size` px, padded to its full line height."""
        font = self._fonts.get(size)
        if font is None:
            font = self._fonts[size] = pygame.freetype.Font(None, size)
            font.pad = True
        return font

    def render(self, text: str, size: int, colour) -> pygame.Surface:
        """`text` in `colour` on a transparent surface, `font(size)`'s line height tall."""
        key = (text, size, tuple(colour))
        surface = self._lines.get(key)
        if surface is None:
            if len(self._lines) >= self.cache_size:
                self._lines.clear()
            surface, _ = self.font(size).render(text, colour)
            if pygame.display.get_surface() is not None:
                surface = surface.convert_alpha()  # the display's pixel format blits fastest
            self._lines[key] = surface
        return surface

    def width(self, text: str, size: int) -> int:
        """How many pixels wide `text` is at `size`."""
        return self.font(size).get_rect(text).width
