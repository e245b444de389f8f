"""The token's store (checkin.domain.secrets, file version): only the user can read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from checkin.domain.secrets import delete_secret, load_secret, store_secret
from checkin.pretix.client import PretixClient, PretixError, PretixErrorKind, normalise_url


def test_store_load_delete_in_a_file_only_the_user_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "s" / "secrets.json"))
    assert load_secret("pretix:x") is None
    store_secret("pretix:x", "tok-1")
    store_secret("pretix:y", "tok-2")
    assert (load_secret("pretix:x"), load_secret("pretix:y")) == ("tok-1", "tok-2")
    assert stat.S_IMODE(os.stat(tmp_path / "s" / "secrets.json").st_mode) == 0o600
    delete_secret("pretix:x")
    assert load_secret("pretix:x") is None
    assert load_secret("pretix:y") == "tok-2"
    assert [p.name for p in (tmp_path / "s").iterdir()] == ["secrets.json"]  # no temporary file left


def test_addresses_are_normalised_and_bad_ones_refused():
    assert normalise_url(" https://pretix.eu/ ") == "https://pretix.eu"
    assert normalise_url("https://tickets.example.org/pretix/api/v1/") == "https://tickets.example.org/pretix"
    for bad in ("pretix.eu", "ftp://pretix.eu", "", "https://"):
        with pytest.raises(PretixError) as caught:
            normalise_url(bad)
        assert caught.value.kind == PretixErrorKind.BAD_URL


def test_the_client_never_shows_its_token():
    client = PretixClient("https://pretix.eu", "secret-token-123")
    assert "secret-token-123" not in repr(client)
    assert "secret-token-123" not in str(vars(client).get("base_url"))
    with pytest.raises(PretixError):
        PretixClient("https://pretix.eu", "  ")
