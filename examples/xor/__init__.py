"""XOR, the smallest complete gone tutorial: `python -m examples.xor`."""
