"""Ids beyond what the database can hold are 'not found', never a database error."""

import pytest

from lms.accounts.models import Role
from tests.conftest import login


@pytest.mark.parametrize(
    "url",
    [
        "/institutions/99999999999999999999/",
        "/editions/2147483648/",
        "/works/9223372036854775808/",
        "/files/2147483648",
        "/reviews/attempts/99999999999/",
        "/certificates/2147483648/pdf",
    ],
)
def test_huge_ids_in_paths_answer_404(client, make_user, url):
    login(client, make_user(Role.ADMIN))
    assert client.get(url).status_code == 404


def test_huge_ids_in_queue_filters_are_ignored(client, make_user):
    login(client, make_user(Role.TRAINER))
    response = client.get("/reviews/", query_string={"edition": "99999999999", "institution": "-1", "module": "x"})
    assert response.status_code == 200
