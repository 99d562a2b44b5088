"""Guessing a password from one address is stopped there; nobody can lock the owner out from elsewhere.

Addresses are set per browser with ``environ_base["REMOTE_ADDR"]``, as a server sees them.
"""

from lms.accounts.models import Role
from tests.conftest import PASSWORD, login

ATTACKER, OWNER_HOME, OWNER_PHONE = "203.0.113.66", "198.51.100.7", "192.0.2.15"


def browser_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_attacker_guessing_one_account_cannot_stop_its_owner_signing_in_elsewhere(app, make_user):
    owner = make_user(Role.ANIMATOR)
    attacker = browser_at(app, ATTACKER)
    for attempt in range(5):
        assert login(attacker, owner, f"Zgadywane-Haslo-{attempt}").status_code == 200
    assert login(attacker, owner, PASSWORD).status_code == 429  # guessing stops at the attacker's address
    for attempt in range(20):  # and however long the attacker keeps trying
        login(attacker, owner, f"Dalsze-Zgadywanie-{attempt}")
    assert login(browser_at(app, OWNER_HOME), owner).status_code == 302
    assert login(browser_at(app, OWNER_PHONE), owner).status_code == 302


def test_one_address_guessing_many_accounts_is_stopped_and_others_are_not(app, make_user):
    people = [make_user(Role.ANIMATOR) for _ in range(5)]
    attacker = browser_at(app, ATTACKER)
    for attempt in range(20):  # four wrong passwords for each of five accounts: under each account's limit
        assert login(attacker, people[attempt % 5], f"Zgadywane-Haslo-{attempt}").status_code == 200
    assert login(attacker, make_user(Role.ANIMATOR)).status_code == 429  # the address has used its 20
    assert login(browser_at(app, OWNER_HOME), people[0]).status_code == 302
