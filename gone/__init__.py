"""gone: a neural-network library written from scratch to be read.

import gone
net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1)],
                         loss=gone.MSE(), learning_rate=0.1, seed=1)
net.train(gone.SGD(), gone.DataSet.from_arrays(X, Y), epochs=1500)
"""

from gone.activations import (
    ACTIVATIONS,
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    activation_from_name,
)
from gone.data import DataSample, DataSet, one_hot
from gone.errors import (
    ConfigError,
    DataError,
    DivergenceError,
    FormatError,
    GoneError,
    ShapeError,
)
from gone.gradcheck import GradientCheck, gradient_check
from gone.history import EarlyStopping, EpochRecord, History
from gone.initializers import He, Initializer, Normal, Uniform, Xavier
from gone.layers import Layer
from gone.losses import MSE, BinaryCrossEntropy, CrossEntropy, Loss
from gone.network import Evaluation, NeuralNetwork
from gone.optimizers import GD, MBGD, SGD, Adam, Optimizer, RMSProp
from gone.persistence import from_bytes, load, save
from gone.progress import EpochTable, ProgressBar
from gone.schedules import ExponentialDecay, Schedule, StepDecay

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "GD",
    "MBGD",
    "MSE",
    "SGD",
    "Activation",
    "Adam",
    "BinaryCrossEntropy",
    "ConfigError",
    "CrossEntropy",
    "DataError",
    "DataSample",
    "DataSet",
    "DivergenceError",
    "EarlyStopping",
    "EpochRecord",
    "EpochTable",
    "Evaluation",
    "ExponentialDecay",
    "FormatError",
    "GoneError",
    "GradientCheck",
    "He",
    "History",
    "Identity",
    "Initializer",
    "Layer",
    "LeakyReLU",
    "Loss",
    "NeuralNetwork",
    "Normal",
    "Optimizer",
    "ProgressBar",
    "RMSProp",
    "ReLU",
    "Schedule",
    "ShapeError",
    "Sigmoid",
    "Softmax",
    "StepDecay",
    "Tanh",
    "Uniform",
    "Xavier",
    "activation_from_name",
    "from_bytes",
    "load",
    "save",
    "gradient_check",
    "one_hot",
]
