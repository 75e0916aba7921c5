"""Schemathesis fuzzes the running server from its own OpenAPI schema: every operation, with
inputs that fit the schema and inputs that break it, as an IRO, as a manager and signed out.
No answer may be a 5xx, and every answer must match what the schema says of it.

Kept small (a few examples an operation and mode, no shrinking) so the suite stays quick; the
inputs are random, so each CI run tries different ones, and a failure prints a curl command
that replays it. Schemathesis's own pytest plugin is not used: its lazy loader (needed for a
server started by a fixture) does not run on pytest 9.2, so the test drives Schemathesis's
Hypothesis strategies itself, one operation and mode at a time.
"""

from __future__ import annotations

import os
from collections import Counter
from contextlib import suppress
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from server_testkit import ServerProcess, sign_in

CHECKS = [not_a_server_error, response_schema_conformance]
# A dozen per operation and mode keeps the module near a minute; set the variable for a deeper
# search by hand, e.g. IRO_TEST_FUZZ_EXAMPLES=500.
EXAMPLES = int(os.environ.get("IRO_TEST_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    # The machine is shared: a per-example deadline would measure the load, not the server.
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: report the input as found
)
HEALTH = ("GET", "/v1/health")
SIGN_IN = ("POST", "/v1/auth/token")
SIGN_OUT = ("DELETE", "/v1/auth/token")
# Every operation that takes a bearer token: fuzzed as each role.
WITH_A_TOKEN = {
    SIGN_OUT,
    ("GET", "/v1/me"),
    ("POST", "/v1/push"),
    ("GET", "/v1/pull"),
    ("GET", "/v1/escalations"),
    ("GET", "/v1/signoff/inbox"),
    ("GET", "/v1/reports/annual"),
}


class Role:
    """Bearer headers for one user. Signing out ends the token it is sent with, so sign-outs
    get a token of their own, replaced only once a sign-out has used it up."""

    def __init__(self, server: ServerProcess, name: str | None) -> None:
        self.server, self.name = server, name
        self.token: dict[str, str] = {}
        self.spare: dict[str, str] = {}

    def _sign_in(self) -> dict[str, str]:
        assert self.name is not None
        with self.server.client() as client:
            return sign_in(client, self.name)

    def headers(self, operation: tuple[str, str]) -> dict[str, str]:
        if self.name is None:
            return {}
        if operation == SIGN_OUT:
            self.spare = self.spare or self._sign_in()
            return self.spare
        self.token = self.token or self._sign_in()
        return self.token

    def answered(self, operation: tuple[str, str], status: int) -> None:
        if operation == SIGN_OUT and status == 204:
            self.spare = {}


@pytest.fixture(scope="module")
def roles(server: ServerProcess) -> dict[str, Role]:
    return {
        "iro": Role(server, "amber.iro"),
        "manager": Role(server, "mo.manager"),
        "signed out": Role(server, None),
    }


@pytest.fixture(scope="module")
def api(server: ServerProcess) -> Any:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


def fuzz_operation(
    operation: Any, mode: GenerationMode, role: Role, seen: Counter[tuple[str, str, str, int]]
) -> None:
    key = (operation.method.upper(), operation.path)

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case: Any) -> None:
        # Schemathesis fills in Authorization with made-up tokens: kept when signed out (so
        # broken and unknown tokens are tried), replaced by the user's own otherwise.
        response = case.call_and_validate(headers=role.headers(key), checks=CHECKS, timeout=30)
        role.answered(key, response.status_code)
        seen[(*key, mode.value, response.status_code)] += 1

    with suppress(Unsatisfiable):  # nothing in the schema to break: no parameters, no body
        call()


def fuzz(api: Any, role: Role, only: set[tuple[str, str]]) -> Counter[tuple[str, str, str, int]]:
    """The operations in both modes; the status codes seen, by operation and mode."""
    seen: Counter[tuple[str, str, str, int]] = Counter()
    failures: list[str] = []
    for result in api.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in only:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz_operation(operation, mode, role, seen)
            except (AssertionError, BaseExceptionGroup) as error:  # failed checks: report all
                failures.append(f"{operation.label} ({mode.value}, as {role.name}):\n{error}")
    assert not failures, "\n\n".join(failures)
    assert {(method, path) for (method, path, _, _) in seen} == only, "an operation was not tried"
    return seen


def statuses(seen: Counter[tuple[str, str, str, int]], key: tuple[str, str]) -> set[int]:
    return {status for (method, path, _, status) in seen if (method, path) == key}


def test_every_operation_the_server_offers_is_fuzzed(api: Any) -> None:
    offered = {(r.ok().method.upper(), r.ok().path) for r in api.get_all_operations()}
    assert offered == WITH_A_TOKEN | {HEALTH, SIGN_IN}


def test_fuzzed_as_an_iro(api: Any, roles: dict[str, Role]) -> None:
    seen = fuzz(api, roles["iro"], WITH_A_TOKEN)
    # Signed in for real: the IRO's own reads answer, and the manager's inbox is refused.
    for read in ("/v1/me", "/v1/pull", "/v1/escalations"):
        assert 200 in statuses(seen, ("GET", read)), read
    assert 204 in statuses(seen, SIGN_OUT)
    assert 403 in statuses(seen, ("GET", "/v1/signoff/inbox"))
    assert 200 not in statuses(seen, ("GET", "/v1/signoff/inbox"))
    # The service's report is a manager's: an IRO is refused, whatever the year asked.
    assert 200 not in statuses(seen, ("GET", "/v1/reports/annual"))


def test_fuzzed_as_a_manager(api: Any, roles: dict[str, Role]) -> None:
    seen = fuzz(api, roles["manager"], WITH_A_TOKEN)
    for read in ("/v1/me", "/v1/pull", "/v1/escalations", "/v1/signoff/inbox"):
        assert 200 in statuses(seen, ("GET", read)), read
    assert 204 in statuses(seen, SIGN_OUT)


def test_fuzzed_signed_out(api: Any, roles: dict[str, Role]) -> None:
    seen = fuzz(api, roles["signed out"], WITH_A_TOKEN | {HEALTH})
    for key in WITH_A_TOKEN:
        assert statuses(seen, key) <= {400, 401, 413, 422}, key
    assert statuses(seen, HEALTH) == {200}


def test_fuzzed_sign_in(api: Any, roles: dict[str, Role]) -> None:
    """Last: fuzzed sign-ins fail, and enough failures from one address trip its limit."""
    seen = fuzz(api, roles["signed out"], {SIGN_IN})
    assert statuses(seen, SIGN_IN) <= {400, 401, 413, 422, 429}
