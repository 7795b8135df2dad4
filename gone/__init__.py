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
from gone.layers import Layer
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
    "ArithmeticCrossover",
    "BinaryCrossEntropy",
    "Callback",
    "CMAES",
    "ConfigError",
    "CrossEntropy",
    "Crossover",
    "DataError",
    "DataSample",
    "DataSet",
    "DivergenceError",
    "EarlyStopping",
    "EpochRecord",
    "EpochTable",
    "Evaluation",
    "EvolutionHistory",
    "EvolutionProgress",
    "evolve",
    "ExponentialDecay",
    "FileError",
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
    "Layer",
    "LeakyReLU",
    "load",
    "load_population",
    "load_strategy",
    "Loss",
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
