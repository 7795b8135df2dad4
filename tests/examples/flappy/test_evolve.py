"""Tests for the Flappy Bird evolution driver: flights, fitness, breeding, seeds, replays."""

import numpy as np
import pytest

import gone
from examples.flappy.cli import CHAMPION
from examples.flappy.evolve import (
    FLAP_THRESHOLD,
    MISS_FRAMES,
    Evolution,
    Flight,
    Replay,
    Settings,
    SettingsError,
    course_seed,
    fly,
    network_layers,
)
from examples.flappy.physics import FlappyWorld
from gone.genetic import Population


def population(size=20, seed=0, hidden=8):
    return Population(network_layers(hidden), size, seed=seed)


class CountingPopulation:
    """A population that counts its predict calls and the rows each call gets, and those of the
    populations taken from it."""

    def __init__(self, inner, calls=None):
        self.inner = inner
        self.calls = [] if calls is None else calls

    def predict(self, inputs):
        self.calls.append(np.shape(inputs))
        return self.inner.predict(inputs)

    def take(self, indices):
        return CountingPopulation(self.inner.take(indices), self.calls)

    def __getattr__(self, name):
        return getattr(self.inner, name)


# --- a flight ---------------------------------------------------------------------------------


def test_each_frame_one_predict_call_decides_every_bird_in_the_air():
    counting = CountingPopulation(population(30))
    flight = Flight(counting, course=1)
    alive = []  # birds flying when each frame begins
    while not flight.finished:
        alive.append(flight.world.n_alive)
        flight.step()
    assert flight.world.done
    assert len(counting.calls) == flight.world.frame > 0
    assert {columns for _, columns in counting.calls} == {5}
    rows = [n for n, _ in counting.calls]
    assert rows[0] == 30 and rows[-1] < 30  # the whole flock first, the last birds at the end
    # Crashed birds drop out once half of those asked have crashed: never more than twice the
    # birds flying are asked (and every bird flying is).
    assert all(a <= n <= 2 * a + 1 for n, a in zip(rows, alive, strict=True))


def test_a_bird_flaps_when_its_output_is_above_one_half():
    flight = Flight(population(40, seed=3), course=0)
    flight.step()
    flapped = flight.outputs[:, 0] > FLAP_THRESHOLD
    assert 0 < flapped.sum() < 40  # random birds: some flap, some do not
    np.testing.assert_array_equal(flight.world.velocity[flapped], flight.world.rules.flap_velocity)
    np.testing.assert_array_equal(flight.world.velocity[~flapped], flight.world.rules.gravity)


def test_a_flight_matches_flying_the_world_by_hand():
    pop = population(25, seed=4)
    flight = Flight(pop, course=9).run()
    world = FlappyWorld(25, seed=9)
    while not world.done:
        world.step(pop.predict(world.observations())[:, 0] > 0.5)
    np.testing.assert_array_equal(flight.world.frames, world.frames)
    np.testing.assert_array_equal(flight.world.score, world.score)


def test_a_flight_ends_at_the_target_score_or_the_frame_cap():
    champion = gone.load(CHAMPION)
    flock = Population.from_networks([champion] * 3)
    flight = Flight(flock, course=0, target_score=7).run()
    assert flight.world.pipes_passed == 7 and flight.world.alive.all()
    assert flight.finished
    flight = Flight(flock, course=0, max_frames=123).run()
    assert flight.world.frame == 123 and flight.world.alive.all()


def test_fitness_is_frames_survived_with_a_tie_breaker_for_the_gap_centre():
    flight = Flight(population(50, seed=2), course=5).run()
    fitness, frames = flight.fitness(), flight.world.frames
    assert ((frames - fitness) >= 0).all()
    assert ((frames - fitness) <= 2 * MISS_FRAMES).all()  # miss is at most 2 observation units
    assert len(np.unique(fitness)) > len(np.unique(frames))  # the tie-breaker splits ties
    # the tie-breaker never outweighs more than 2 * MISS_FRAMES frames survived
    later = frames[:, None] > frames[None, :] + 2 * MISS_FRAMES
    assert later.any()
    assert (fitness[:, None] > fitness[None, :])[later].all()


def test_the_miss_is_the_distance_to_the_gap_centre_in_observation_units():
    flight = Flight(population(2), course=0)
    flight.world.y[:] = [150.0, 250.0]
    o = flight.world.observations()
    flight.step()
    centre = (o[0, 3] + o[0, 4]) / 2
    np.testing.assert_allclose(flight.miss, np.abs(o[:, 0] - centre))
    r = flight.world.rules
    gap_centre = (flight.world.gap_top[0] + flight.world.gap_bottom[0]) / 2
    np.testing.assert_allclose(flight.miss, np.abs([150.0, 250.0] - gap_centre) * 2 / r.floor_y)


def test_the_miss_of_a_crashed_bird_is_frozen():
    flight = Flight(population(30, seed=1), course=2)
    frozen = {}
    while not flight.finished:
        flight.step()
        for i in np.flatnonzero(~flight.world.alive):
            frozen.setdefault(int(i), flight.miss[i])
            assert flight.miss[i] == frozen[int(i)]
    assert len(frozen) == 30


def test_the_leader_is_the_first_bird_still_flying():
    flight = Flight(population(5), course=0)
    assert flight.leader() == 0
    flight.world.alive[:2] = False
    assert flight.leader() == 2
    flight.world.alive[:] = False
    assert flight.leader() is None


def test_a_flight_needs_five_inputs_and_one_output():
    wrong = Population([gone.Layer(4), gone.Layer(1, gone.Sigmoid())], 3, seed=0)
    with pytest.raises(ValueError, match="population: expected networks of 5 inputs and 1 output"):
        Flight(wrong, course=0)


# --- the evolution ----------------------------------------------------------------------------


def test_evolution_learns_to_fly_in_a_few_generations():
    evolution = Evolution(Settings(population=200, seed=0, target_score=100))
    scores = [evolution.run_generation().best_score for _ in range(5)]
    assert max(scores[:2]) < 10  # the random first birds crash early...
    assert max(scores) >= 10  # ...a few generations later they pass pipes
    while evolution.best_score < 100 and evolution.generation < 30:
        evolution.run_generation()
    assert evolution.best_score == 100  # the target: 100 pipes within 30 generations
    assert evolution.results[-1].alive >= 1
    champion_flight = fly(evolution.champion, seed=123, max_score=20)
    assert champion_flight.score[0] > 0


def test_results_report_each_generation():
    evolution = Evolution(Settings(population=30, seed=5, target_score=3))
    first = evolution.run_generation()
    second = evolution.run_generation()
    assert (first.generation, second.generation) == (0, 1)
    assert evolution.results == [first, second]
    assert first.alive == 0 or first.best_score == 3
    assert 0 <= first.mean_score <= first.best_score
    assert first.frames > 0 and first.seconds >= 0
    assert "generation   1  best" in second.line()
    assert evolution.best_score == max(first.best_score, second.best_score)
    assert isinstance(evolution.champion, gone.NeuralNetwork)


def test_the_same_seed_breeds_the_same_birds_frame_by_frame_or_a_generation_at_a_time():
    settings = Settings(population=40, seed=8, target_score=20)
    by_generation, by_frame = Evolution(settings), Evolution(settings)
    expected = [by_generation.run_generation() for _ in range(4)]
    got = []
    while len(got) < 4:
        result = by_frame.step()
        if result is not None:
            got.append(result)
    key = [(r.generation, r.best_score, r.mean_score, r.frames, r.best_fitness) for r in expected]
    assert key == [
        (r.generation, r.best_score, r.mean_score, r.frames, r.best_fitness) for r in got
    ]
    for a, b in zip(by_generation.population.weights, by_frame.population.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_elite_is_carried_over_best_first():
    evolution = Evolution(Settings(population=30, seed=1, elite=3, target_score=50))
    evolution.run_generation()
    fitness = evolution.flight.fitness()
    best = np.argsort(-fitness, kind="stable")[:3]
    parents = evolution.population
    evolution.step()  # breeds, launches and flies the first frame of generation 1
    assert evolution.generation == 1
    for old, new in zip(parents.weights, evolution.population.weights, strict=True):
        np.testing.assert_array_equal(new[:3], old[best])


def test_every_generation_flies_a_fresh_course_unless_told_otherwise():
    fresh = Evolution(Settings(population=10, seed=3))
    same = Evolution(Settings(population=10, seed=3, fresh_courses=False))
    fresh_gaps, same_gaps = [], []
    for _ in range(3):
        fresh_gaps.append(fresh.flight.world.gap_top[:3].copy())
        same_gaps.append(same.flight.world.gap_top[:3].copy())
        fresh.run_generation()
        fresh.step()
        same.run_generation()
        same.step()
    assert len({g.tobytes() for g in fresh_gaps}) == 3
    assert len({g.tobytes() for g in same_gaps}) == 1
    np.testing.assert_array_equal(same_gaps[0], FlappyWorld(1, seed=3).gap_top[:3])
    np.testing.assert_array_equal(fresh_gaps[2], FlappyWorld(1, seed=course_seed(3, 2)).gap_top[:3])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"population": 0}, "population: expected an int >= 1"),
        ({"hidden": 0}, "hidden: expected an int >= 1"),
        ({"tournament": 0}, "tournament: expected an int >= 1"),
        ({"elite": 11, "population": 10}, r"elite: expected at most population \(10\), got 11"),
        ({"target_score": 0}, "target_score: expected an int >= 1 or None"),
        ({"max_frames": -5}, "max_frames: expected an int >= 1 or None"),
        ({"crossover": "blend"}, "crossover: expected one of none, uniform"),
        ({"mutation_rate": 2.0}, r"mutation_rate: expected a probability in \[0, 1\], got 2.0"),
        ({"mutation_stddev": -1.0}, "mutation_stddev: expected a finite number >= 0, got -1.0"),
        ({"mutation_stddev": float("nan")}, "mutation_stddev: expected a finite number >= 0"),
    ],
)
def test_bad_settings_are_rejected_by_name(change, message):
    with pytest.raises(SettingsError, match=message) as caught:
        Settings(**change)
    assert isinstance(caught.value, ValueError)
    assert caught.value.field == message.split(":")[0]  # for a command line to name its flag


def test_every_crossover_setting_breeds():
    for crossover in ("uniform", "single_point", "arithmetic"):
        evolution = Evolution(Settings(population=12, seed=0, crossover=crossover, max_frames=50))
        evolution.run_generation()
        evolution.run_generation()
        assert evolution.generation == 1


# --- replays ----------------------------------------------------------------------------------


def test_a_replay_flies_course_after_course():
    bird = population(1, seed=0)[0]  # a random bird: crashes early
    replay = Replay(bird, seed=4)
    scores = []
    while len(scores) < 3:
        score = replay.step()
        if score is not None:
            scores.append(score)
    assert replay.scores == scores and replay.best_score == max(scores)
    assert replay.attempt == 3
    replay.step()
    assert replay.attempt == 4
    np.testing.assert_array_equal(replay.flight.world.gap_top, FlappyWorld(1, seed=7).gap_top)


def test_fly_needs_a_cap_and_stops_at_it():
    champion = gone.load(CHAMPION)
    with pytest.raises(ValueError, match="fly: expected max_score or max_frames"):
        fly(champion)
    world = fly(champion, seed=2, max_frames=300)
    assert world.frame == 300 and world.alive[0]


def test_an_evolution_can_start_from_a_given_population():
    champion = gone.load(CHAMPION)
    flock = Population.from_networks([champion] * 4, seed=0)
    evolution = Evolution(Settings(target_score=30, elite=1), population=flock)
    result = evolution.run_generation()
    assert evolution.population is flock
    assert (result.best_score, result.alive, result.mean_score) == (30, 4, 30.0)
