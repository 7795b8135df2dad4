"""The committed gone/gone_pb2.py is what proto/gone.proto generates, and the pin fits it."""

import ast
import importlib.util
import re
from pathlib import Path

import pytest

from gone import gone_pb2

ROOT = Path(__file__).resolve().parent.parent.parent


def load_script():
    spec = importlib.util.spec_from_file_location(
        "regenerate_proto", ROOT / "scripts" / "regenerate_proto.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def serialized_schema(module_text: str) -> bytes:
    """The FileDescriptorProto bytes a generated module registers: the schema it was made from."""
    literal = re.search(r"AddSerializedFile\((b'.*?')\)\n", module_text).group(1)
    return ast.literal_eval(literal)


def generator_version(module_text: str) -> str:
    return re.search(r"# Protobuf Python Version: (\S+)", module_text).group(1)


def test_committed_module_is_not_stale(tmp_path):
    pytest.importorskip("grpc_tools")
    generated = load_script().regenerate(tmp_path).read_text()
    committed = (ROOT / "gone" / "gone_pb2.py").read_text()
    stale = (
        "gone/gone_pb2.py is stale: run python scripts/regenerate_proto.py and commit the result"
    )
    assert serialized_schema(generated) == serialized_schema(committed), stale
    # With the same protoc the whole file must match; another protoc may word the code differently.
    if generator_version(generated) == generator_version(committed):
        assert generated == committed, stale


def test_generated_module_describes_the_proto_file():
    assert gone_pb2.DESCRIPTOR.name == "gone.proto"
    assert gone_pb2.DESCRIPTOR.package == "pb"
    names = set(gone_pb2.DESCRIPTOR.message_types_by_name)
    assert {"NeuralNetwork", "Layer", "Matrix", "Population"} <= names


def test_runtime_is_at_least_the_generating_version():
    from google.protobuf import __version__ as runtime

    text = (ROOT / "gone" / "gone_pb2.py").read_text()
    generating = re.search(r"# Protobuf Python Version: (\d+)\.(\d+)\.(\d+)", text).groups()
    current = tuple(int(part) for part in re.match(r"(\d+)\.(\d+)\.(\d+)", runtime).groups())
    assert current >= tuple(int(part) for part in generating)
    assert current[0] == int(generating[0])
