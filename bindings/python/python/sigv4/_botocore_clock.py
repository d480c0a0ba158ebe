"""botocore's signing time as ``YYYYMMDDTHHMMSSZ``, formatted once per second.

botocore's signers read ``botocore.auth.get_current_datetime()`` (UTC now) and ``strftime`` it on
every request: ~2.6 µs of a presign's ~10 µs of signing. While that function is botocore's own
(``botocore.compat.get_current_datetime``: the system clock in UTC), the same second comes from
``time.time()`` and its text is reused; when it has been replaced (tests freeze botocore's clock
by patching it), the replacement is called as botocore would.
"""

from __future__ import annotations

import time

from botocore import auth as _auth
from botocore import compat as _compat

_SIGV4_TIMESTAMP = _auth.SIGV4_TIMESTAMP
_last = (-1, "")


def amz_date() -> str:
    """The signing time botocore would use now, as SigV4 writes it."""
    global _last
    if _auth.get_current_datetime is not _compat.get_current_datetime:
        return _auth.get_current_datetime().strftime(_SIGV4_TIMESTAMP)
    second = int(time.time())
    last = _last
    if last[0] == second:
        return last[1]
    text = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(second))
    _last = (second, text)
    return text
