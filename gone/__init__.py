"""gone: a neural-network library written from scratch to be read.

import gone
net = gone.NeuralNetwork([gone.Layer(2), gone.Layer(4, gone.Sigmoid()), gone.Layer(1)],
                         loss=gone.MSE(), learning_rate=0.1, seed=1)
net.train(gone.SGD(), gone.DataSet.from_arrays(X, Y), epochs=1500)

cnn = gone.NeuralNetwork([gone.Input((1, 28, 28)), gone.Conv2D(8, 5, activation=gone.ReLU()),
                          gone.MaxPool2D(2), gone.Flatten(), gone.Layer(10, gone.Softmax())],
                         loss=gone.CrossEntropy(), seed=0)
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
from gone.callbacks import Callback
from gone.data import DataSample, DataSet, one_hot
from gone.errors import (
    ConfigError,
    DataError,
    DivergenceError,
    FileError,
    FormatError,
    GoneError,
    MissingDependencyError,
    ShapeError,
)
from gone.genetic import (
    CMAES,
    ArithmeticCrossover,
    Crossover,
    EvolutionHistory,
    EvolutionProgress,
    GaussianMutation,
    GenerationRecord,
    GenerationTable,
    GeneticAlgorithm,
    Mutation,
    OpenAIES,
    Population,
    Rank,
    Roulette,
    Selection,
    SinglePointCrossover,
    Strategy,
    Tournament,
    Truncation,
    UniformCrossover,
    evolve,
    load_strategy,
)
from gone.gradcheck import GradientCheck, gradient_check
from gone.history import EarlyStopping, EpochRecord, History
from gone.initializers import He, Initializer, Normal, Uniform, Xavier
from gone.layers import (
    AvgPool2D,
    BatchNorm,
    Conv2D,
    Dropout,
    Flatten,
    Input,
    Layer,
    MaxPool2D,
)
from gone.losses import MSE, BinaryCrossEntropy, CrossEntropy, Loss
from gone.network import Evaluation, NeuralNetwork
from gone.optimizers import GD, MBGD, SGD, Adam, Optimizer, RMSProp
from gone.persistence import from_bytes, load, load_population, save, save_population
from gone.progress import EpochTable, ProgressBar
from gone.schedules import ExponentialDecay, Schedule, StepDecay

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "activation_from_name",
    "ACTIVATIONS",
    "Adam",
    "AvgPool2D",
    "ArithmeticCrossover",
    "BatchNorm",
    "BinaryCrossEntropy",
    "Callback",
    "CMAES",
    "ConfigError",
    "Conv2D",
    "CrossEntropy",
    "Crossover",
    "DataError",
    "DataSample",
    "DataSet",
    "DivergenceError",
    "Dropout",
    "EarlyStopping",
    "EpochRecord",
    "EpochTable",
    "Evaluation",
    "EvolutionHistory",
    "EvolutionProgress",
    "evolve",
    "ExponentialDecay",
    "FileError",
    "Flatten",
    "FormatError",
    "from_bytes",
    "GaussianMutation",
    "GD",
    "GenerationRecord",
    "GenerationTable",
    "GeneticAlgorithm",
    "GoneError",
    "gradient_check",
    "GradientCheck",
    "He",
    "History",
    "Identity",
    "Initializer",
    "Input",
    "Layer",
    "LeakyReLU",
    "load",
    "load_population",
    "load_strategy",
    "Loss",
    "MaxPool2D",
    "MBGD",
    "MissingDependencyError",
    "MSE",
    "Mutation",
    "NeuralNetwork",
    "Normal",
    "one_hot",
    "OpenAIES",
    "Optimizer",
    "Population",
    "ProgressBar",
    "Rank",
    "ReLU",
    "RMSProp",
    "Roulette",
    "save",
    "save_population",
    "Schedule",
    "Selection",
    "SGD",
    "ShapeError",
    "Sigmoid",
    "SinglePointCrossover",
    "Softmax",
    "StepDecay",
    "Strategy",
    "Tanh",
    "Tournament",
    "Truncation",
    "Uniform",
    "UniformCrossover",
    "Xavier",
]
