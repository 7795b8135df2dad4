"""Gymnasium neuroevolution: a population of gone networks learns CartPole, Acrobot, LunarLander.

The whole population plays at once: P networks, P copies of the environment in one Gymnasium
vector environment, one `Population.predict` call per step for all of them (gone.gym). A genetic
algorithm (`gone.evolve`) breeds each generation from the networks with the highest returns.

    python -m examples.gym --env CartPole-v1              evolve, then watch the champion play
    python -m examples.gym --headless                     evolve without a window; saves it
    python -m examples.gym --play out/cartpole-v1.gone --headless   its returns on 100 episodes

    evolve.py   the settings, the generation loop and the champion's check: headless, no printing
    cli.py      the flags, the printed lines and JSON summary, --play and the window
"""
