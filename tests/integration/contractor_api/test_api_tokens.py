"""`feedbackgis tokens ...`: a token printed once, stored hashed, listed without it, revoked."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from feedbackgis.domain.tokens import hash_token
from feedbackgis.models import AdminChange, ApiToken, PartyKind
from feedbackgis.services.contractor_api.tokens import TOKEN_PATTERN, authenticate
from tests.integration.factories import make_party


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


@pytest.fixture
def party(session):
    party = make_party(session, "Valaistus Oy", kind=PartyKind.CONTRACTOR)
    session.commit()
    return party


def test_tokens_create_prints_the_token_once_and_stores_only_its_hash(cli, session, party):
    result = cli("tokens", "create", "--party", "Valaistus Oy", "--name", "Valaistus ERP")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert TOKEN_PATTERN.fullmatch(token) and token.startswith("fgc_")
    row = session.scalars(select(ApiToken)).one()
    assert (row.party_id, row.name, row.token_hash) == (party.id, "Valaistus ERP",
                                                        hash_token(token))
    assert token not in str(session.scalars(select(AdminChange.after)).all())
    listing = cli("tokens", "list")
    assert listing.exit_code == 0 and "Valaistus ERP" in listing.output
    assert token not in listing.output and row.token_hash not in listing.output


def test_every_token_is_a_new_secret(cli, party):
    first = cli("tokens", "create", "--party", "Valaistus Oy").stdout.strip()
    second = cli("tokens", "create", "--party", "Valaistus Oy").stdout.strip()
    assert first != second


def test_a_revoked_token_authenticates_nobody_from_then_on(cli, client, session, party):
    token = cli("tokens", "create", "--party", "Valaistus Oy").stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/work-orders", headers=headers).status_code == 200
    token_id = session.scalar(select(ApiToken.id))
    revoked = cli("tokens", "revoke", str(token_id))
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    refused = client.get("/api/v1/work-orders", headers=headers)
    assert refused.status_code == 401 and "invalid_token" in refused.headers["WWW-Authenticate"]
    assert "revoked" in cli("tokens", "list", "--party", "Valaistus Oy").output
    assert cli("tokens", "revoke", str(token_id)).exit_code == 0  # already: still revoked


def test_commands_with_an_unknown_party_or_token_fail_cleanly(cli, session, party):
    unknown = cli("tokens", "create", "--party", "Ei ole")
    assert unknown.exit_code == 1 and "No party named 'Ei ole'" in unknown.output
    assert cli("tokens", "revoke", "999999").exit_code == 1
    assert cli("tokens", "revoke", "abc").exit_code == 2
    assert cli("tokens", "create", "--party", "Valaistus Oy", "--name", "x" * 201).exit_code == 1
    assert session.scalar(select(ApiToken.id)) is None


def test_the_use_of_a_token_is_noted_at_most_once_a_minute(cli, session, party):
    token = cli("tokens", "create", "--party", "Valaistus Oy").stdout.strip()
    client = authenticate(session, token)
    assert client is not None and client.party_id == party.id
    row = session.scalars(select(ApiToken)).one()
    first_use = row.last_used_at
    assert first_use is not None
    authenticate(session, token)
    session.refresh(row)
    assert row.last_used_at == first_use
    row.last_used_at = datetime.now(UTC) - timedelta(minutes=2)
    session.commit()
    authenticate(session, token)
    session.refresh(row)
    assert row.last_used_at > datetime.now(UTC) - timedelta(minutes=1)


@pytest.mark.parametrize("bearer", ["", "fgc_", "x" * 47, "fgc_" + "A" * 42, "fgc_" + "A" * 44,
                                    "fgc_" + "\x00" * 43])
def test_a_malformed_bearer_is_no_token_without_any_lookup(session, bearer):
    assert authenticate(session, bearer) is None
