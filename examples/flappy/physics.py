"""Flappy Bird physics for a whole flock at once: numpy arrays and an alive mask, no pygame.

Units are logical pixels and frames: positions in px, velocities in px/frame, gravity in
px/frame². The y axis points down, as on screen: y = 0 is the ceiling and `rules.floor_y`
the top of the ground. Every bird sits at the same x; the pipes scroll past all of them,
so the whole flock shares one course.

One frame (`FlappyWorld.step`), as in the original game:
1. alive birds that flap get vy = flap_velocity; the others fall:
   vy = min(vy + gravity, max_fall_speed)
2. alive birds move: y += vy
3. the pipes scroll left by pipe_speed; a pipe that has left the screen is replaced by a new
   one, pipe_spacing behind the last
4. a bird whose box overlaps the ceiling, the ground or a pipe dies (a box that only touches
   an edge does not overlap it)
5. birds still alive count one more frame, and as score every pipe whose right edge is now
   at or behind their left edge
"""

import math
from dataclasses import dataclass, fields

import numpy as np

# What each column of `FlappyWorld.observations()` holds; the renderer labels input nodes with it.
OBSERVATION_NAMES = ("height", "speed", "pipe dx", "gap top", "gap bottom")

_POSITIVE = ("width", "height", "bird_width", "bird_height", "gravity", "max_fall_speed")
_POSITIVE += ("pipe_width", "pipe_speed", "pipe_spacing", "gap_height")


@dataclass(frozen=True)
class Rules:
    """The constants of the game, in px and frames; build variants with `dataclasses.replace`.

    The defaults follow the original game (288 x 512 world, 34 x 24 bird, 52 px pipes moving
    4 px/frame, gravity 1, flap -9, fall at most 10) with a slightly wider gap (110 px, not
    100) and more air between pipes (200 px, not 144), so that every gap can be reached from
    the last one whatever the bird did on its way out. Construction checks that the course is
    playable that way, and that a flap inside a pipe cannot hit its top.

    Example:
        >>> Rules().floor_y
        400.0
        >>> easy = dataclasses.replace(Rules(), gap_height=140.0)
    """

    width: float = 288.0  # world width: the visible stretch of the course
    height: float = 512.0  # world height, ground strip included
    ground_height: float = 112.0  # the ground strip at the bottom; its top is the floor
    bird_x: float = 70.0  # centre x of every bird: birds stay put, the course scrolls
    bird_width: float = 34.0  # the bird's hitbox, the size of the original sprite
    bird_height: float = 24.0
    start_y: float = 200.0  # centre y of every bird at frame 0, at rest
    gravity: float = 1.0  # px/frame² added to vy on every frame without a flap
    flap_velocity: float = -9.0  # px/frame; a flap sets vy (negative is up), it does not add
    max_fall_speed: float = 10.0  # px/frame: terminal velocity
    pipe_width: float = 52.0
    pipe_speed: float = 4.0  # px/frame to the left
    pipe_spacing: float = 200.0  # px between the left edges of consecutive pipes
    first_pipe_x: float = 300.0  # left edge of the first pipe at frame 0, just off screen
    gap_height: float = 110.0  # px between a pipe's top and bottom halves
    gap_margin: float = 40.0  # least px between a gap and the ceiling or the floor
    max_gap_shift: float = 100.0  # most px between the centres of consecutive gaps

    def __post_init__(self):
        """Reject constants that make a broken world or an unplayable course."""
        for f in fields(self):
            if not math.isfinite(getattr(self, f.name)):
                self._reject(f.name, "a finite number")
        for name in _POSITIVE:
            if not getattr(self, name) > 0:
                self._reject(name, "> 0")
        for name in ("ground_height", "gap_margin", "max_gap_shift"):
            if not getattr(self, name) >= 0:
                self._reject(name, ">= 0")
        if not self.flap_velocity < 0:
            self._reject("flap_velocity", "< 0 (up)")
        if not self.ground_height < self.height:
            self._reject("ground_height", f"< height {self.height}")
        half_w, half_h = self.bird_width / 2, self.bird_height / 2
        if not half_w <= self.bird_x <= self.width - half_w:
            self._reject("bird_x", f"within [{half_w}, {self.width - half_w}]")
        if not half_h <= self.start_y <= self.floor_y - half_h:
            self._reject("start_y", f"within [{half_h}, {self.floor_y - half_h}]")
        room = self.floor_y - 2 * self.gap_margin
        if not self.gap_height <= room:
            self._reject("gap_height", f"<= floor_y - 2 * gap_margin = {room}")
        # A pipe moving further than its own width in one frame could jump over a bird.
        if not self.pipe_speed < self.pipe_width:
            self._reject("pipe_speed", f"< pipe_width {self.pipe_width}")
        # Free air between pipes keeps a bird inside at most one pipe and gives it time to climb.
        least = self.pipe_width + self.bird_width + self.pipe_speed
        if not self.pipe_spacing >= least:
            self._reject("pipe_spacing", f">= pipe_width + bird_width + pipe_speed = {least}")
        # Only now (gravity > 0, pipe_speed > 0) are flap_rise and max_gap_reach sure to end.
        need = self.bird_height + self.flap_rise
        if not self.gap_height > need:
            self._reject("gap_height", f"> bird_height + flap_rise = {need}, room to flap")
        reach = self.max_gap_reach
        if not self.max_gap_shift <= reach:
            self._reject("max_gap_shift", f"<= {reach}, the most a bird can climb or drop")

    def _reject(self, name: str, expected: str):
        """Raise the ValueError that names constant `name`, what it should be and what it is."""
        raise ValueError(f"{name}: expected {expected}, got {getattr(self, name)!r}")

    @property
    def floor_y(self) -> float:
        """The y of the top of the ground: a bird's bottom may touch it, not cross it."""
        return self.height - self.ground_height

    @property
    def flap_rise(self) -> float:
        """How far a bird rises after a flap before it starts to fall again, px."""
        rise, vy = 0.0, self.flap_velocity
        while vy < 0:
            rise -= vy
            vy += self.gravity
        return rise

    @property
    def max_gap_reach(self) -> float:
        """The most a bird can surely climb or drop while flying from one pipe to the next, px.

        Between leaving a pipe (left edge past its right edge) and entering the next (right
        edge past its left edge) there are `free` frames. Flapping on each of them climbs
        |flap_velocity| per frame. The drop is counted from the worst start: a flap on the
        way out of the pipe, which first carries the bird up before gravity brings it down.
        """
        free = math.floor((self.pipe_spacing - self.pipe_width - self.bird_width) / self.pipe_speed)
        climb = free * -self.flap_velocity
        drop, vy = 0.0, self.flap_velocity
        for _ in range(free):
            vy = min(vy + self.gravity, self.max_fall_speed)
            drop += vy
        return min(climb, drop)


class FlappyWorld:
    """A flock of N birds flying one shared course of pipes, stepped together as numpy arrays.

    Birds never leave the arrays: a dead bird keeps its last position, velocity, score and
    frame count, and `alive` says who is still flying. The gap heights come from a numpy
    Generator, so a seed fixes the whole course.

    Parameters:
        n_birds: N, the size of the flock.
        seed: int or numpy Generator for the gap heights (None: fresh entropy).
        rules: the game's constants (default `Rules()`).

    State (read by the renderer and the evolution; shapes in brackets):
        y (N,) float: centre height of each bird, px, down is positive
        velocity (N,) float: vertical speed, px/frame, down is positive
        alive (N,) bool
        score (N,) int: pipes passed while alive
        frames (N,) int: frames survived
        frame: frames stepped since reset
        pipes_passed: pipes the course has carried past the birds' left edge so far
        pipe_x (M,) float: left edge of each pipe on or near the screen, left to right
        gap_top (M,), gap_bottom (M,) float: the y of each pipe's gap edges

    Example:
        >>> world = FlappyWorld(200, seed=7)
        >>> while not world.done:
        ...     outputs = population.predict(world.observations())  # (200, 1)
        ...     world.step(outputs[:, 0] > 0.5)
        >>> world.score.max()
    """

    def __init__(self, n_birds: int, seed=None, rules: Rules | None = None):
        """Build a world of `n_birds` birds at rest and its first pipes; see the class docstring."""
        if isinstance(n_birds, bool) or not isinstance(n_birds, (int, np.integer)) or n_birds < 1:
            raise ValueError(f"n_birds: expected an int >= 1, got {n_birds!r}")
        self.rules = Rules() if rules is None else rules
        self.n_birds = int(n_birds)
        # Enough pipes that one is always ahead of the birds and the screen is always covered:
        # the first is dropped once fully off screen, so the rest must reach past the right edge.
        r = self.rules
        self.n_pipes = math.ceil((r.width + r.pipe_width) / r.pipe_spacing) + 1
        self.reset(seed)

    def reset(self, seed=None) -> None:
        """Put every bird back at the start, alive, and lay a new course.

        A seed (int or Generator) restarts the gap heights from it, so the same int gives the
        same course again; None continues the world's current Generator (the next course).
        """
        if seed is not None or not hasattr(self, "_rng"):
            self._rng = np.random.default_rng(seed)
        r, n = self.rules, self.n_birds
        self.y = np.full(n, r.start_y)  # (N,)
        self.velocity = np.zeros(n)  # (N,)
        self.alive = np.ones(n, dtype=bool)  # (N,)
        self.score = np.zeros(n, dtype=np.int64)  # (N,)
        self.frames = np.zeros(n, dtype=np.int64)  # (N,)
        self.frame = 0
        self.pipes_passed = 0
        self._pipes_dropped = 0
        self.pipe_x = r.first_pipe_x + r.pipe_spacing * np.arange(self.n_pipes)  # (M,)
        self.gap_top = np.empty(self.n_pipes)  # (M,)
        self.gap_bottom = np.empty(self.n_pipes)  # (M,)
        centre = r.start_y  # the first gap is bounded by where the birds start
        for i in range(self.n_pipes):
            centre = self._lay_gap(i, centre)

    @property
    def done(self) -> bool:
        """True when every bird is dead."""
        return not self.alive.any()

    @property
    def n_alive(self) -> int:
        """How many birds are still flying."""
        return int(np.count_nonzero(self.alive))

    def step(self, flap) -> None:
        """Advance the world one frame; `flap` (N,) bool says which birds flap on it.

        Dead birds ignore `flap` and stay where they fell. See the module docstring for the
        order of the phases.
        """
        flap = np.asarray(flap)
        if flap.shape != (self.n_birds,):
            raise ValueError(f"flap: expected shape ({self.n_birds},), got {flap.shape}")
        if flap.dtype != bool:
            raise ValueError(f"flap: expected a bool array, got dtype {flap.dtype}")
        r = self.rules
        falling = np.minimum(self.velocity + r.gravity, r.max_fall_speed)  # (N,)
        np.copyto(self.velocity, np.where(flap, r.flap_velocity, falling), where=self.alive)
        np.add(self.y, self.velocity, out=self.y, where=self.alive)

        self.pipe_x -= r.pipe_speed
        while self.pipe_x[0] + r.pipe_width < 0:
            self._drop_first_pipe()

        self.alive &= ~self._collisions()
        bird_left = r.bird_x - r.bird_width / 2
        behind = np.count_nonzero(self.pipe_x + r.pipe_width <= bird_left)
        self.pipes_passed = self._pipes_dropped + int(behind)
        np.copyto(self.score, self.pipes_passed, where=self.alive)
        self.frames += self.alive
        self.frame += 1

    def observations(self) -> np.ndarray:
        """What each bird sees, scaled to about [-1, 1]: a float array (N, 5).

        Columns (names in OBSERVATION_NAMES); heights map the ceiling to -1 and the floor to +1,
        h(y) = 2 y / floor_y - 1, so that they are centred like the network's weights:
            0 height: h(bird centre y)
            1 speed: vertical velocity / max_fall_speed; -0.9 just after a flap, 1 falling flat out
            2 pipe dx: (next pipe's left edge - bird centre x) / width; negative inside the pipe
            3 gap top: h(the next pipe's gap top y)
            4 gap bottom: h(the next pipe's gap bottom y)
        The next pipe is the first one whose right edge is still ahead of the bird's left edge.
        """
        r = self.rules
        i = self.next_pipe_index()
        to_unit = 2.0 / r.floor_y
        # Filled one observation at a time, each a contiguous row of N: the transpose returned is
        # what Population.predict works on (the individuals last), so it copies nothing.
        seen = np.empty((5, self.n_birds))  # (5, N)
        np.multiply(self.y, to_unit, out=seen[0])
        seen[0] -= 1.0
        np.divide(self.velocity, r.max_fall_speed, out=seen[1])
        seen[2] = (self.pipe_x[i] - r.bird_x) / r.width
        seen[3] = self.gap_top[i] * to_unit - 1.0
        seen[4] = self.gap_bottom[i] * to_unit - 1.0
        return seen.T  # (N, 5)

    def next_pipe_index(self) -> int:
        """Index into the pipe arrays of the first pipe the birds have not passed yet."""
        r = self.rules
        ahead = self.pipe_x + r.pipe_width > r.bird_x - r.bird_width / 2  # (M,)
        return int(np.argmax(ahead))  # the last pipe is always ahead (see n_pipes)

    def _collisions(self) -> np.ndarray:
        """(N,) bool: whose box overlaps the ceiling, the ground or a pipe now."""
        r = self.rules
        top = self.y - r.bird_height / 2  # (N,)
        bottom = self.y + r.bird_height / 2  # (N,)
        hit = (top < 0) | (bottom > r.floor_y)  # (N,)
        left, right = r.bird_x - r.bird_width / 2, r.bird_x + r.bird_width / 2
        level = (self.pipe_x < right) & (self.pipe_x + r.pipe_width > left)  # (M,)
        for i in np.flatnonzero(level):  # at most one pipe: pipe_spacing keeps them apart
            hit |= (top < self.gap_top[i]) | (bottom > self.gap_bottom[i])
        return hit

    def _drop_first_pipe(self) -> None:
        """Forget the leftmost pipe (off screen) and lay a new one pipe_spacing behind the last."""
        r = self.rules
        centre = (self.gap_top[-1] + self.gap_bottom[-1]) / 2
        for arr in (self.pipe_x, self.gap_top, self.gap_bottom):
            arr[:-1] = arr[1:]
        self.pipe_x[-1] = self.pipe_x[-2] + r.pipe_spacing
        self._lay_gap(self.n_pipes - 1, centre)
        self._pipes_dropped += 1

    def _lay_gap(self, i: int, previous_centre: float) -> float:
        """Lay pipe i's gap on a whole pixel within margins and max_gap_shift; return its centre."""
        r = self.rules
        half = r.gap_height / 2
        lowest, highest = r.gap_margin + half, r.floor_y - r.gap_margin - half
        low = math.ceil(max(lowest, previous_centre - r.max_gap_shift))
        high = math.floor(min(highest, previous_centre + r.max_gap_shift))
        if low <= high:
            centre = float(self._rng.integers(low, high, endpoint=True))
        else:  # no whole pixel in reach (tiny max_gap_shift): stay as close as the margins allow
            centre = min(max(previous_centre, lowest), highest)
        self.gap_top[i] = centre - half
        self.gap_bottom[i] = centre + half
        return centre
