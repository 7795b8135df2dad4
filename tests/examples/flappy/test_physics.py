"""Tests for the Flappy Bird physics: motion, exact collision edges, scoring, seeds, playability."""

import dataclasses

import numpy as np
import pytest

from examples.flappy.physics import OBSERVATION_NAMES, FlappyWorld, Rules

RULES = Rules()
BIRD_LEFT = RULES.bird_x - RULES.bird_width / 2  # 53
BIRD_RIGHT = RULES.bird_x + RULES.bird_width / 2  # 87
HALF_H = RULES.bird_height / 2  # 12


def no_flaps(world):
    return np.zeros(world.n_birds, dtype=bool)


def oracle(world, slack=6.0):
    """Scripted controller: flap when next frame's bottom would sink near the next gap's bottom."""
    r = world.rules
    i = world.next_pipe_index()
    next_velocity = np.minimum(world.velocity + r.gravity, r.max_fall_speed)
    return world.y + r.bird_height / 2 + next_velocity > world.gap_bottom[i] - slack


def step_with_pipe(bird_y, pipe_x, gap_top, gap_bottom):
    """One frame with birds at rest at `bird_y` and the first pipe ending at `pipe_x`."""
    bird_y = np.asarray(bird_y, dtype=float)
    world = FlappyWorld(len(bird_y), seed=0)
    world.y[:] = bird_y
    world.velocity[:] = -RULES.gravity  # gravity brings it to 0: the bird holds still this frame
    world.pipe_x[:] = pipe_x + RULES.pipe_speed + RULES.pipe_spacing * np.arange(world.n_pipes)
    world.gap_top[:] = gap_top
    world.gap_bottom[:] = gap_bottom
    world.step(no_flaps(world))
    np.testing.assert_array_equal(world.y, bird_y)  # the bird really held still
    assert world.pipe_x[0] == pipe_x
    return world


# --- motion ---------------------------------------------------------------------------------


def test_gravity_accelerates_a_bird_that_does_not_flap():
    world = FlappyWorld(1, seed=0)
    ys, vs = [], []
    for _ in range(4):
        world.step(no_flaps(world))
        ys.append(world.y[0])
        vs.append(world.velocity[0])
    assert vs == [1.0, 2.0, 3.0, 4.0]
    assert ys == [201.0, 203.0, 206.0, 210.0]


def test_terminal_velocity_caps_the_fall():
    world = FlappyWorld(1, seed=0)
    for _ in range(12):
        world.step(no_flaps(world))
    assert world.alive[0]
    assert world.velocity[0] == RULES.max_fall_speed
    before = world.y[0]
    world.step(no_flaps(world))
    assert world.velocity[0] == RULES.max_fall_speed
    assert world.y[0] - before == RULES.max_fall_speed


def test_a_flap_sets_the_velocity_whatever_it_was():
    world = FlappyWorld(3, seed=0)
    world.velocity[:] = [-5.0, 0.0, 10.0]
    world.step(np.array([True, True, False]))
    np.testing.assert_array_equal(world.velocity, [RULES.flap_velocity, RULES.flap_velocity, 10.0])
    np.testing.assert_array_equal(world.y, RULES.start_y + np.array([-9.0, -9.0, 10.0]))


def test_the_flap_rise_matches_a_flight():
    world = FlappyWorld(1, seed=0)
    world.step(np.array([True]))
    highest = world.y[0]
    for _ in range(20):
        world.step(no_flaps(world))
        highest = min(highest, world.y[0])
    assert RULES.start_y - highest == RULES.flap_rise == 45.0


# --- collisions: one pixel inside kills, touching or one pixel outside survives ----------------


@pytest.mark.parametrize(
    ("pipe_x", "alive"),
    [
        (BIRD_RIGHT - 1, False),  # front edge 1 px into the bird
        (BIRD_RIGHT, True),  # front edge touching the bird's front
        (BIRD_RIGHT + 1, True),  # 1 px ahead
        (BIRD_LEFT - RULES.pipe_width + 1, False),  # back edge 1 px into the bird
        (BIRD_LEFT - RULES.pipe_width, True),  # back edge touching the bird's back
        (BIRD_LEFT - RULES.pipe_width - 1, True),  # 1 px behind
    ],
)
def test_pipe_front_and_back_edges(pipe_x, alive):
    # the bird (y 200) is level with the pipe's upper half: the gap is far below it
    world = step_with_pipe([200.0], pipe_x, gap_top=300.0, gap_bottom=380.0)
    assert world.alive[0] == alive


def test_top_pipe_edge():
    gap_top = 150.0
    world = step_with_pipe(gap_top + HALF_H + np.array([-1.0, 0.0, 1.0]), 60.0, gap_top, 300.0)
    np.testing.assert_array_equal(world.alive, [False, True, True])


def test_bottom_pipe_edge():
    gap_bottom = 300.0
    world = step_with_pipe(
        gap_bottom - HALF_H + np.array([-1.0, 0.0, 1.0]), 60.0, 150.0, gap_bottom
    )
    np.testing.assert_array_equal(world.alive, [True, True, False])


def test_pipe_edges_only_count_while_the_pipe_is_level_with_the_bird():
    # the same heights as above, but the pipe is 1 px ahead: nobody is inside it
    world = step_with_pipe([100.0, 380.0], BIRD_RIGHT + 1, 150.0, 300.0)
    np.testing.assert_array_equal(world.alive, [True, True])


def test_floor_and_ceiling():
    floor_touch = RULES.floor_y - HALF_H
    ys = [HALF_H - 1, HALF_H, HALF_H + 1, floor_touch - 1, floor_touch, floor_touch + 1]
    world = step_with_pipe(ys, 250.0, 100.0, 300.0)  # the pipe is far ahead
    np.testing.assert_array_equal(world.alive, [False, True, True, True, True, False])


def test_flying_through_the_ceiling_kills():
    world = FlappyWorld(1, seed=0)
    for _ in range(30):
        world.step(np.array([True]))
    assert not world.alive[0]
    assert world.y[0] - HALF_H < 0


# --- dead birds, score, frames ----------------------------------------------------------------


def test_dead_birds_freeze():
    world = FlappyWorld(2, seed=0)
    while world.alive[0]:  # bird 0 flaps into the ceiling; bird 1 is flown by the oracle
        world.step(np.array([True, oracle(world)[1]]))
    frozen = [world.y[0], world.velocity[0], world.score[0], world.frames[0]]
    assert world.alive[1]
    for _ in range(600):
        world.step(np.array([True, oracle(world)[1]]))
        assert [world.y[0], world.velocity[0], world.score[0], world.frames[0]] == frozen
    assert world.alive[1]
    assert world.score[1] > 0  # the other bird flew on and scored


def test_score_counts_each_pipe_once_as_its_right_edge_passes_the_bird():
    r = RULES
    world = FlappyWorld(1, seed=3)
    seen = []
    while world.alive[0] and world.frame < 3000:
        world.step(oracle(world))
        # pipe k's left edge after t frames, without asking the world: first + k spacing - speed t
        left_edges = r.first_pipe_x + r.pipe_spacing * np.arange(200) - r.pipe_speed * world.frame
        expected = np.count_nonzero(left_edges + r.pipe_width <= BIRD_LEFT)
        assert world.score[0] == world.pipes_passed == expected
        seen.append(world.score[0])
    assert world.alive[0]
    steps = np.diff(seen)
    assert set(steps.tolist()) == {0, 1}  # never two points on one frame
    assert seen[-1] > 50


def test_frames_count_the_frames_survived():
    world = FlappyWorld(2, seed=0)
    for _ in range(100):  # bird 0 never flaps and falls to the floor; bird 1 flies like the oracle
        world.step(oracle(world) & np.array([False, True]))
    assert not world.alive[0] and world.alive[1]
    assert world.frames[1] == world.frame == 100
    # the fall: y_k = start_y + sum(min(i * gravity, max_fall_speed) for i in 1..k), alive while
    # the bottom y_k + 12 is not below the floor; the frame that crosses it does not count
    fall = RULES.start_y + np.cumsum(np.minimum(np.arange(1, 100), RULES.max_fall_speed))
    survived = np.count_nonzero(fall + HALF_H <= RULES.floor_y)
    assert survived == 23
    assert world.frames[0] == survived


def test_done_and_n_alive():
    world = FlappyWorld(4, seed=0)
    assert world.n_alive == 4 and not world.done
    while not world.done:
        world.step(np.ones(4, dtype=bool))
    assert world.n_alive == 0


# --- seeds and the course ---------------------------------------------------------------------


def test_same_seed_same_world():
    worlds = [FlappyWorld(50, seed=11), FlappyWorld(50, seed=np.random.default_rng(11))]
    flaps = np.random.default_rng(0).random((600, 50)) < 0.08
    for flap in flaps:
        for world in worlds:
            world.step(flap)
    a, b = worlds
    for name in ("y", "velocity", "alive", "score", "frames", "pipe_x", "gap_top", "gap_bottom"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.frame == b.frame == 600
    assert a.score.max() > 0  # the random flyers got somewhere: the comparison saw pipes pass


def test_different_seeds_lay_different_gaps():
    gaps = {tuple(FlappyWorld(1, seed=seed).gap_top) for seed in range(5)}
    assert len(gaps) == 5


def test_reset_with_the_same_seed_replays_the_course_and_without_one_lays_a_new_one():
    world = FlappyWorld(3, seed=5)
    first = world.gap_top.copy()
    for _ in range(50):
        world.step(np.ones(3, dtype=bool))
    world.reset(seed=5)
    np.testing.assert_array_equal(world.gap_top, first)
    assert world.frame == 0 and world.alive.all() and (world.y == RULES.start_y).all()
    world.reset()
    assert not np.array_equal(world.gap_top, first)


def course(world, n_pipes):
    """The gaps (top, bottom) of the first `n_pipes` pipes of the world's course."""
    gaps = list(zip(world.gap_top.tolist(), world.gap_bottom.tolist(), strict=True))
    dead = np.zeros(world.n_birds, dtype=bool)
    world.alive[:] = False  # the course scrolls on without anyone flying it
    while len(gaps) < n_pipes:
        last_x = world.pipe_x[-1]
        world.step(dead)
        if world.pipe_x[-1] != last_x - world.rules.pipe_speed:
            gaps.append((world.gap_top[-1], world.gap_bottom[-1]))
    return np.array(gaps)  # (n_pipes, 2)


def test_gaps_stay_within_the_margins_and_shift_at_most_max_gap_shift():
    gaps = course(FlappyWorld(1, seed=2), 400)
    r = RULES
    np.testing.assert_array_equal(gaps[:, 1] - gaps[:, 0], r.gap_height)
    assert gaps[:, 0].min() >= r.gap_margin
    assert gaps[:, 1].max() <= r.floor_y - r.gap_margin
    centres = gaps.mean(axis=1)
    shifts = np.abs(np.diff(np.concatenate([[r.start_y], centres])))
    assert shifts.max() <= r.max_gap_shift
    assert shifts.max() > 0.8 * r.max_gap_shift  # the bound is used, not just respected
    np.testing.assert_array_equal(gaps, np.round(gaps))  # whole pixels: exact edges


def test_pipes_keep_their_spacing_and_cover_the_screen():
    world = FlappyWorld(1, seed=0)
    world.alive[:] = False
    for _ in range(500):
        world.step(no_flaps(world))
        np.testing.assert_array_equal(np.diff(world.pipe_x), RULES.pipe_spacing)
        assert world.pipe_x[0] + RULES.pipe_width >= 0
        assert world.pipe_x[-1] >= RULES.width


@pytest.mark.parametrize("seed", range(5))
def test_the_oracle_passes_many_pipes(seed):
    world = FlappyWorld(1, seed=seed)
    while world.alive[0] and world.pipes_passed < 150:
        world.step(oracle(world))
    assert world.alive[0], f"the oracle crashed after {world.score[0]} pipes"
    assert world.score[0] == 150


# --- observations -----------------------------------------------------------------------------


def test_observations_shape_range_and_columns():
    world = FlappyWorld(8, seed=4)
    flaps = np.random.default_rng(1).random((300, 8)) < 0.1
    seen = []
    for flap in flaps:
        obs = world.observations()
        assert obs.shape == (8, len(OBSERVATION_NAMES)) == (8, 5)
        assert obs.dtype == np.float64
        seen.append(obs[world.alive])
        world.step(np.where(np.arange(8) < 4, oracle(world), flap))  # half of them fly well
    seen = np.concatenate(seen)  # (alive bird-frames, 5)
    assert seen.min() >= -1.0 and seen.max() <= 1.0
    assert (np.ptp(seen, axis=0) > 0.2).all()  # every column moves over a good part of its range
    assert world.n_alive >= 4 and world.pipes_passed >= 4  # pipes went by: dx and gaps moved
    obs = world.observations()
    i = world.next_pipe_index()
    np.testing.assert_allclose(obs[:, 0], 2 * world.y / RULES.floor_y - 1)
    np.testing.assert_allclose(obs[:, 1], world.velocity / RULES.max_fall_speed)
    np.testing.assert_allclose(obs[:, 2], (world.pipe_x[i] - RULES.bird_x) / RULES.width)
    np.testing.assert_allclose(obs[:, 3], 2 * world.gap_top[i] / RULES.floor_y - 1)
    np.testing.assert_allclose(obs[:, 4], 2 * world.gap_bottom[i] / RULES.floor_y - 1)


def test_the_next_pipe_changes_when_its_right_edge_passes_the_bird():
    world = step_with_pipe([200.0], BIRD_LEFT - RULES.pipe_width + 1, 150.0, 300.0)
    assert world.next_pipe_index() == 0  # right edge 1 px ahead of the bird's back
    world = step_with_pipe([200.0], BIRD_LEFT - RULES.pipe_width, 150.0, 300.0)
    assert world.next_pipe_index() == 1  # right edge level with the bird's back: passed
    assert world.score[0] == 1


# --- rules and arguments ----------------------------------------------------------------------


def test_default_rules_are_playable_and_their_reach_matches_a_flight():
    r = RULES
    free = int((r.pipe_spacing - r.pipe_width - r.bird_width) // r.pipe_speed)
    # drop from the worst start: a flap on the way out of a pipe
    world = FlappyWorld(1, seed=0)
    world.step(np.array([True]))
    start = world.y[0]
    for _ in range(free):
        world.step(no_flaps(world))
    assert r.max_gap_reach == min(world.y[0] - start, free * -r.flap_velocity)
    assert r.max_gap_shift <= r.max_gap_reach


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"max_gap_shift": 200.0}, "max_gap_shift"),
        ({"gap_height": 60.0}, "gap_height"),
        ({"gap_height": 500.0}, "gap_height"),
        ({"pipe_spacing": 80.0}, "pipe_spacing"),
        ({"pipe_speed": 60.0}, "pipe_speed"),
        ({"flap_velocity": 3.0}, "flap_velocity"),
        ({"gravity": 0.0}, "gravity"),
        ({"width": float("nan")}, "width"),
        ({"start_y": 5.0}, "start_y"),
    ],
)
def test_broken_or_unplayable_rules_are_rejected_by_name(change, name):
    with pytest.raises(ValueError, match=f"^{name}: expected"):
        dataclasses.replace(RULES, **change)


def test_a_variant_world_uses_its_rules():
    easy = dataclasses.replace(RULES, gap_height=150.0)
    world = FlappyWorld(2, seed=0, rules=easy)
    np.testing.assert_array_equal(world.gap_bottom - world.gap_top, 150.0)


@pytest.mark.parametrize("n_birds", [0, -3, 2.5, True])
def test_bad_flock_sizes_are_rejected(n_birds):
    with pytest.raises(ValueError, match="n_birds: expected an int >= 1"):
        FlappyWorld(n_birds)


def test_flap_must_be_one_bool_per_bird():
    world = FlappyWorld(3, seed=0)
    with pytest.raises(ValueError, match=r"flap: expected shape \(3,\), got \(2,\)"):
        world.step(np.zeros(2, dtype=bool))
    with pytest.raises(ValueError, match="flap: expected a bool array, got dtype float64"):
        world.step(np.array([0.7, 0.1, 0.9]))
