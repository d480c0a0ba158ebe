"""``Credentials`` with the constructors that read the environment and the shared AWS files."""

from __future__ import annotations

import os
from typing import Optional

from . import _native, _profile

__all__ = ["Credentials"]


class Credentials(_native.Credentials):
    """AWS credentials: an access key id, its secret, and an optional session token.

    ``Credentials(access_key_id, secret_access_key, session_token=None)``. ``repr()`` never shows the
    secret or the token. The attributes ``access_key``, ``secret_key`` and ``token`` mirror botocore's,
    so these credentials can go wherever botocore's are expected (and botocore's, refreshable ones
    included, can go wherever these are: signers read them again for every request).
    """

    __slots__ = ()

    @classmethod
    def from_env(cls) -> "Credentials":
        """Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and (optional) AWS_SESSION_TOKEN.

        Raises ``sigv4.InvalidCredentialsError`` naming the variables that are not set.
        """
        return cls(*_profile.from_env(os.environ))

    @classmethod
    def from_profile(cls, name: Optional[str] = None) -> "Credentials":
        """Reads a profile from the shared credentials file, then the config file.

        The profile is ``name``, else ``AWS_PROFILE``, else ``default``. The files are
        ``AWS_SHARED_CREDENTIALS_FILE`` (default ``~/.aws/credentials``) and ``AWS_CONFIG_FILE``
        (default ``~/.aws/config``). Profiles that assume a role, use SSO or run a process are not
        resolved here: pass ``boto3.Session(...).get_credentials()`` to the signer instead. Raises
        ``sigv4.InvalidCredentialsError`` saying which profile and files were searched.
        """
        return cls(*_profile.from_profile(name, os.environ))
