"""Example keys from the AWS documentation (they sign, but no account accepts them)."""

import os

ACCESS_KEY = os.environ.get("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
SECRET_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def show(result: dict) -> None:
    """Prints what to send."""
    print("URL path:", result["url"])
    for name, value in result["headers"].items():
        print(f"{name}: {value}")
