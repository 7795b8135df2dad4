"""Flappy Bird neuroevolution: a flock of birds, each flown by its own small gone network.

Every bird sees five numbers (its height and speed, how far the next pipe is, where its gap
is) and flaps when its 5-8-1 network says > 0.5. The whole flock is one `gone.Population`:
each frame one `Population.predict` call decides every bird, and a genetic algorithm breeds
the next generation from the birds that flew furthest.

    python -m examples.flappy                   evolve in a window (space, S, Esc)
    python -m examples.flappy --headless        evolve without one; saves the champion
    python -m examples.flappy --play            watch the committed champion.gone fly

The example is split by what each part may know:
    physics.py  the game as numpy arrays (every bird steps at once), never imports pygame
    evolve.py   flights, fitness, the evolution and replays: headless, no pygame
    render.py   pygame pictures of a state it is given: birds, pipes, HUD, the network panel
    app.py      the window: a loop in named phases (events, update, draw, flip)
    cli.py      the flags, headless training and --play
"""
