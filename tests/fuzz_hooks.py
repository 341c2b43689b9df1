"""Schemathesis hooks for `tests/e2e/fuzz.rs`: a refused request changes nothing.

In local mode every answer of the worker carries `x-gatehouse-d1-rows-written`, the rows D1
wrote for that request. A refusal (any 4xx) must have written none: validation, authorisation
and conflict checks all run before, or inside the same batch as, the write.
"""

import schemathesis


@schemathesis.check
def refused_requests_write_nothing(ctx, response, case):
    if response.status_code < 400:
        return None
    if case.method == "POST" and case.path == "/api/session" and response.status_code == 401:
        return None  # the failed attempt is counted on purpose
    if (
        case.method == "POST"
        and case.path.startswith(
            (
                "/api/session/second-factor",
                "/api/session/two-factor",
                "/api/session/password",
                "/api/session/email",
            )
        )
        and response.status_code in (401, 429)
    ):
        # a wrong password or code is counted (throttle, security event) on purpose, and the
        # first refusal of a locked window is a security event
        return None
    values = response.headers.get("x-gatehouse-d1-rows-written") or ["0"]
    written = values[0] if isinstance(values, list) else values
    if written != "0":
        raise AssertionError(
            f"{case.method} {case.path} was refused with {response.status_code} "
            f"but D1 wrote {written} rows"
        )
    return None
