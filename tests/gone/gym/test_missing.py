"""Gymnasium stays optional: `import gone` never needs it, and without it gone.gym says what to do."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_import_gone_and_gone_gym_do_not_import_gymnasium():
    result = run_python(
        "import sys, gone\n"
        "from gone import gym as ggym\n"
        "assert 'gymnasium' not in sys.modules, 'imported at import time'\n"
        "ggym.ObservationNormalizer(3).update([[1.0, 2.0, 3.0]])\n"
        "assert 'gymnasium' not in sys.modules, 'the normalizer needs only numpy'\n"
    )
    assert result.returncode == 0, result.stderr


def test_without_gymnasium_every_call_raises_a_gone_error_naming_the_pip_command():
    result = run_python(
        "import sys\n"
        "sys.modules['gymnasium'] = None  # what an uninstalled package looks like to import\n"
        "import gone\n"
        "from gone import gym as ggym\n"
        "population = gone.Population([gone.Layer(4), gone.Layer(2)], 3, seed=0)\n"
        "calls = [lambda: ggym.evaluate(population, 'CartPole-v1'),\n"
        "         lambda: ggym.fitness('CartPole-v1'),\n"
        "         lambda: ggym.play(population[0], 'CartPole-v1')]\n"
        "for call in calls:\n"
        "    try:\n"
        "        call()\n"
        "    except gone.GoneError as error:\n"
        "        assert isinstance(error, ImportError) and isinstance(error, ggym.MissingDependencyError)\n"
        "        print(error)\n"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all('pip install "gone[gym]"' in line and "gymnasium" in line for line in lines)
