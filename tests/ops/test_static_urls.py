"""Static files are linked with a fingerprint, so a year-long browser cache never serves a stale copy."""

import re


def test_stylesheets_are_linked_with_a_content_fingerprint(client):
    page = client.get("/").get_data(as_text=True)
    app_css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page)
    bootstrap_css = re.search(r'href="(/bootstrap/static/[^"]+\.css\?v=[0-9a-f]{12})"', page)
    assert app_css and bootstrap_css
    assert client.get(app_css.group(1)).status_code == 200
    assert client.get(bootstrap_css.group(1)).status_code == 200
