"""The layer kinds a network is a sequence of, one module each, every one with its whole math:
forward and backward side by side, its parameters, its shapes and what it saves.

    dense.Layer      A = f(W @ A_prev + b), the layer of Go's gone (and, first, the input)
    input.Input      the shape of one sample: (n,) features or (channels, height, width)
    conv.Conv2D      the dense product over every image patch (im2col / col2im)
    pooling          MaxPool2D, AvgPool2D: the largest or the mean value of every window
    flatten.Flatten  an image (C, H, W) as C*H*W features, for the dense layers after it
    dropout.Dropout  inverted dropout in training, masks from the network's Generator
    batchnorm        BatchNorm: per feature or channel, batch statistics in training
    module.Module    what they all share, and the layout of the arrays between them

Inside a network the samples are on the last axis: features (n, B), images (C, H, W, B) (see
gone.layers.module). What a layer saves: `kind` (its name in `LAYERS`), `config()` (the
hyperparameters, `type(layer)(**layer.config())` rebuilds it) and `state()` (its arrays).
"""

from gone.layers.batchnorm import BatchNorm
from gone.layers.conv import Conv2D
from gone.layers.dense import MAX_NODES, Layer
from gone.layers.dropout import Dropout
from gone.layers.flatten import Flatten
from gone.layers.input import Input
from gone.layers.module import Module
from gone.layers.pooling import AvgPool2D, MaxPool2D

#: kind -> class, for every layer kind: what a file names a layer by.
LAYERS: dict[str, type[Module]] = {
    cls.kind: cls
    for cls in (Layer, Input, Conv2D, MaxPool2D, AvgPool2D, Flatten, Dropout, BatchNorm)
}

__all__ = [
    "AvgPool2D",
    "BatchNorm",
    "Conv2D",
    "Dropout",
    "Flatten",
    "Input",
    "LAYERS",
    "Layer",
    "MAX_NODES",
    "MaxPool2D",
    "Module",
]
