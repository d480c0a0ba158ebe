"""Invokes handler.handler(event, context) as Lambda's Python runtime does. Usage: invoke.py <event.json>"""

import json
import sys
import types

import handler

context = types.SimpleNamespace(aws_request_id="local-invoke", function_name="libsigv4-example")
with open(sys.argv[1]) as f:
    print(json.dumps(handler.handler(json.load(f), context)))
