"""Reading credentials from the environment and the shared AWS files (pure Python, no botocore)."""

from __future__ import annotations

import configparser
import os
from typing import Dict, Mapping, Optional, Tuple

from ._errors import InvalidCredentialsError

_KEYS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
_UNSUPPORTED = ("role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file")


def from_env(environ: Mapping[str, str]) -> Tuple[str, str, Optional[str]]:
    """(access key id, secret, token) from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN."""
    akid = environ.get("AWS_ACCESS_KEY_ID", "")
    secret = environ.get("AWS_SECRET_ACCESS_KEY", "")
    token = environ.get("AWS_SESSION_TOKEN") or environ.get("AWS_SECURITY_TOKEN") or None
    missing = [name for name, value in (("AWS_ACCESS_KEY_ID", akid), ("AWS_SECRET_ACCESS_KEY", secret)) if not value]
    if missing:
        raise InvalidCredentialsError(
            f"{' and '.join(missing)} not set: export them, or use Credentials.from_profile()",
            "InvalidCredentials",
            "credentials",
        )
    return akid, secret, token


def _read(path: str) -> Optional[configparser.RawConfigParser]:
    if not os.path.isfile(path):
        return None
    parser = configparser.RawConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise InvalidCredentialsError(
            f"cannot parse {path}: {exc.__class__.__name__} (fix the file's INI syntax)",
            "InvalidCredentials",
            "profile",
        ) from None
    return parser


def _section(parser: Optional[configparser.RawConfigParser], names: Tuple[str, ...]) -> Optional[Dict[str, str]]:
    if parser is None:
        return None
    for name in names:
        if parser.has_section(name):
            return {k.lower(): v.strip() for k, v in parser.items(name)}
    return None


def from_profile(name: Optional[str], environ: Mapping[str, str]) -> Tuple[str, str, Optional[str]]:
    """(access key id, secret, token) of a profile in the shared credentials file, then the config file."""
    profile = name or environ.get("AWS_PROFILE") or environ.get("AWS_DEFAULT_PROFILE") or "default"
    home = os.path.expanduser("~")
    creds_path = os.path.expanduser(environ.get("AWS_SHARED_CREDENTIALS_FILE") or os.path.join(home, ".aws", "credentials"))
    config_path = os.path.expanduser(environ.get("AWS_CONFIG_FILE") or os.path.join(home, ".aws", "config"))
    # The credentials file names sections "[name]"; the config file "[profile name]" (and "[default]").
    sources = (
        (creds_path, _section(_read(creds_path), (profile,))),
        (config_path, _section(_read(config_path), (f"profile {profile}", profile) if profile == "default" else (f"profile {profile}",))),
    )
    for path, section in sources:
        if section and section.get("aws_access_key_id") and section.get("aws_secret_access_key"):
            token = section.get("aws_session_token") or section.get("aws_security_token") or None
            return section["aws_access_key_id"], section["aws_secret_access_key"], token
    for path, section in sources:
        if section and any(key in section for key in _UNSUPPORTED):
            raise InvalidCredentialsError(
                f"profile {profile!r} in {path} gets its keys from a role, SSO or a process, which sigv4 does "
                "not resolve: pass boto3.Session(profile_name=...).get_credentials() instead",
                "InvalidCredentials",
                "profile",
            )
    raise InvalidCredentialsError(
        f"profile {profile!r} has no aws_access_key_id/aws_secret_access_key in {creds_path} or {config_path}",
        "InvalidCredentials",
        "profile",
    )
