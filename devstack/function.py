"""One Lambda function of the app in a process of its own, as Lambda runs it: `python -m devstack.function
--function NAME`, with its role's credentials in the environment (devstack/iam.py), so that whatever it
calls on the backend is decided by that role's policy alone.

The API function serves HTTP (`--port`); an event-driven function has the pump feed it from its queue or
stream and the scheduler call it on its schedule. The pump and the scheduler play the Lambda service and
use the stack operator's credentials for polling; the handler's own calls use the role's. The process
stops when its standard input closes (its parent, the stack, is gone).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from typing import Any

from devstack.iam import OPERATOR_KEY
from devstack.stack import FUNCTIONS, REGION


def _load() -> tuple[Any, Any, Any]:
    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))
    from chalice.cli.factory import CLIFactory

    factory = CLIFactory(str(FUNCTIONS), environ=os.environ)
    app = factory.load_chalice_app(environment_variables=os.environ)
    import app as module  # the module Chalice just loaded

    return factory, app, module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--function", required=True)
    parser.add_argument("--port", type=int, default=0, help="the API function's HTTP port")
    parser.add_argument("--failure-queue", default=None, help="a stream function's on-failure destination")
    parser.add_argument(
        "--invoke", action="store_true", help="a scheduled function: run it once now, print its result, exit"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    factory, app, module = _load()
    if args.function == "api_handler":
        from devstack.http_server import start_api_server
        from devstack.resources import STAGE

        config = factory.create_config_obj(chalice_stage_name=STAGE)
        server = start_api_server(app, config, "127.0.0.1", args.port)
        print(f"ready {server.server.server_address[1]}", flush=True)
        sys.stdin.read()
        server.server.shutdown()
        return
    from devstack.websocket_gateway import handlers_of, serve_invocations

    websocket = handlers_of(app, module)
    if args.function in websocket:  # invoked by the local WebSocket API (devstack/websocket_gateway.py)
        invocations = serve_invocations(args.function, websocket[args.function])
        print(f"ready {invocations.server_address[1]}", flush=True)
        sys.stdin.read()
        invocations.shutdown()
        return
    import boto3

    from devstack.pump import Pump
    from devstack.scheduler import Scheduler, jobs_of

    operator = boto3.Session(
        aws_access_key_id=OPERATOR_KEY, aws_secret_access_key=OPERATOR_KEY, region_name=REGION
    )
    scheduler = Scheduler([job for job in jobs_of(app, module) if job.name == args.function], REGION)
    if args.invoke:  # what `aws lambda invoke` does for a scheduled function
        job = next(job for job in jobs_of(app, module) if job.name == args.function)
        print(json.dumps(scheduler.run_now(job), default=str), flush=True)
        return
    scheduler.start()
    pump = Pump(operator, REGION)
    pump.wire(app, module, on_failure_queue_url=args.failure_queue, only=args.function)
    print("ready 0", flush=True)
    sys.stdin.read()
    scheduler.stop()
    pump.stop()


if __name__ == "__main__":
    main()
