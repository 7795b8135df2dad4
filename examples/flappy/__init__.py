"""Flappy Bird neuroevolution: a flock of birds, each flown by its own small gone network.

The example is split by what each part may know:
    physics.py  the game as numpy arrays (every bird steps at once), never imports pygame
    render.py   pygame pictures of a state it is given: birds, pipes, HUD, the network panel
"""
