import argparse
import logging

from .server import Simulator


def main():
    parser = argparse.ArgumentParser(description="Omni carrier simulators (DHL, DPD, Hermes)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument(
        "--step-seconds",
        type=float,
        default=60.0,
        help="seconds between two scripted tracking events of a parcel",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    sim = Simulator(args.host, args.port, step_seconds=args.step_seconds)
    logging.getLogger(__name__).info("carrier simulators listening on %s", sim.url)
    sim.serve_forever()


if __name__ == "__main__":
    main()
