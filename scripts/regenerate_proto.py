"""Regenerate gone/gone_pb2.py from proto/gone.proto with the protoc bundled in grpcio-tools.

    python scripts/regenerate_proto.py            # rewrite gone/gone_pb2.py
    python scripts/regenerate_proto.py --out DIR  # write DIR/gone_pb2.py (the staleness test)

The generated module is committed, so users need only the protobuf runtime, not protoc.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "proto"
PACKAGE_DIR = ROOT / "gone"


def regenerate(out_dir: Path = PACKAGE_DIR) -> Path:
    """Run protoc on proto/gone.proto, writing `out_dir`/gone_pb2.py; return that path."""
    from grpc_tools import protoc  # a dev dependency, imported only when regenerating

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # -I proto makes the file known to protobuf as "gone.proto", as in the Go repository.
    status = protoc.main(
        ["protoc", f"-I{PROTO_DIR}", f"--python_out={out_dir}", str(PROTO_DIR / "gone.proto")]
    )
    if status != 0:
        raise RuntimeError(f"protoc: expected exit status 0, got {status}")
    return out_dir / "gone_pb2.py"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PACKAGE_DIR, help="folder for gone_pb2.py")
    args = parser.parse_args(argv)
    written = regenerate(args.out)
    print(f"wrote {written}")  # noqa: T201 - a command-line script reports what it did
    return 0


if __name__ == "__main__":
    sys.exit(main())
