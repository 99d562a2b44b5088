"""WCAG 2.1 AA on every key page for every role, in Polish and English, at 1280 and 390 px (issue 15).

axe-core comes with the pinned dev dependency ``axe-playwright-python`` (its bundled ``axe.min.js``); nothing is
fetched at run time. The same walk checks what issue 14 asks of every page: no sideways scrolling at 390 px,
a ``<title>`` of its own and a favicon.
"""

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from lms.demo.key_pages import key_pages
from lms.demo.seed_people import ADMIN_EMAIL
from lms.editions.models import Edition
from lms.extensions import db
from tests.conftest import PASSWORD
from tests.test_key_page_queries import SMALL, _seeded

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def seeded_world():
    _seeded(SMALL)


@pytest.fixture
def world(snapshot):
    """The small seeded data set (with one certificate) and the pages each role looks at."""
    snapshot(seeded_world)
    pages = {page.name: page for page in key_pages() if not page.needs_api_token}
    db.session.commit()  # key_pages makes the animators' calendar feed tokens
    animator, trainer = pages["work page"].email, pages["review page"].email
    coordinator = pages["coordinator dashboard"].email
    edition_id = db.session.scalar(select(func.min(Edition.id)))
    module = pages["module page"].url
    return {
        None: [
            ("home", "/"), ("catalogue", "/programmes/"), ("programme", "/programmes/cal/"), ("module", module),
            ("verify", "/verify/"), ("verified", pages["verify page"].url), ("registry", "/registry/"),
            ("login", "/login"), ("accessibility", "/dostepnosc"), ("figures", "/programmes/cal/figures/"),
        ],
        animator: [
            ("home", "/"), ("module", module), ("work", pages["work page"].url), ("certificates", "/certificates/"),
            ("profile", "/account/password"), ("notifications", "/notifications/"), ("my profile", "/account/"),
            ("my data", "/my-data"), ("calendar", "/calendar/"),
        ],
        trainer: [
            ("queue", "/reviews/"), ("review", pages["review page"].url), ("dashboard", "/dashboard/trainer/"),
            ("report", "/reports/"), ("home", "/"), ("event", pages["event page"].url),
            ("absences", "/trainers/absences/"),
        ],
        coordinator: [
            ("home", "/"), ("dashboard", pages["coordinator dashboard"].url),
            ("checklist", pages["institution checklist"].url), ("audit log", "/admin/audit/"),
        ],
        ADMIN_EMAIL: [
            ("home", "/"), ("report", "/reports/"), ("people", "/admin/people/"), ("audit log", "/admin/audit/"),
            ("trainers' load", "/admin/trainers/"), ("edition's trainers", f"/admin/trainers/editions/{edition_id}/"),
        ],
    }  # fmt: skip


def signed_in(browser: Browser, base_url: str, viewport: dict, email: str | None, locale: str) -> Page:
    """A fresh browser context, signed in as ``email`` (None: anonymous), in the interface language ``locale``."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    page = context.new_page()
    page.goto("/login")
    choose_language(page, locale)
    if email:
        page.locator("#email").fill(email)
        page.locator("#password").fill(PASSWORD)
        page.locator("main form button, main form input[type=submit]").first.click()
        expect(page).not_to_have_url(re.compile(r"/login"))
    return page


def choose_language(page: Page, locale: str) -> None:
    """Press the language button, opening the narrow screen's menu first when it is closed."""
    summary = page.locator("details.nav-menu > summary")
    if summary.is_visible():
        summary.click()
    page.locator(f"nav button[name=lang][value={locale}]:visible").click()
    expect(page.locator("html")).to_have_attribute("lang", locale)


def walk(browser: Browser, base_url: str, viewport: dict, locale: str, world) -> Iterator[tuple[str, Page]]:
    """Every key page of every role, loaded: yields (``role/page url``, page)."""
    for email, pages in world.items():
        page = signed_in(browser, base_url, viewport, email, locale)
        for name, url in pages:
            response = page.goto(url)
            assert response.status == 200, f"{name} {url}: {response.status}"
            yield f"{email or 'anonymous'} / {name} {url}", page
        page.context.close()


def violations(page: Page) -> list[str]:
    """WCAG 2.1 A and AA violations axe-core finds on the page, one line per rule and element."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [
        f"{rule['id']} ({rule['impact']}): {node['target']} {node.get('failureSummary', '')[:200]}"
        for rule in results.response["violations"]
        for node in rule["nodes"]
    ]


@pytest.mark.parametrize("locale", ["pl", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_key_pages_have_no_wcag_aa_violations(browser, live_server, world, locale, width):
    found, titles, menus_opened = {}, {}, set()
    for where, page in walk(browser, live_server, WIDTHS[width], locale, world):
        problems = violations(page)
        # Issue 14: nothing scrolls sideways (wide tables scroll in their own box instead).
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"the page scrolls sideways by {overflow} px")
        title = page.title()
        if not title.endswith(" · Akademia CAL"):
            problems.append(f"no title of its own: {title!r}")
        titles.setdefault(title, []).append(where)
        if page.locator("head link[rel=icon]").count() != 1:
            problems.append("no favicon")
        role = where.split(" / ")[0]
        if width == "phone" and role not in menus_opened:
            # Once per role: the narrow screen's menu, opened, holds the same links and passes too.
            menus_opened.add(role)
            page.locator("details.nav-menu > summary").click()
            expect(page.locator("details.nav-menu .nav-link").first).to_be_visible()
            problems += [f"(menu open) {line}" for line in violations(page)]
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"(menu open) the page scrolls sideways by {overflow} px")
        if problems:
            found[where] = problems
    assert not found, "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())


def test_printing_a_module_shows_the_content_without_navigation_and_writes_out_links(page: Page, world):
    module = next(url for name, url in world[None] if name == "module")
    page.goto(module)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Nawigacja główna")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    link = page.locator("main .breadcrumb a").first
    after = link.evaluate("el => getComputedStyle(el, '::after').content")
    assert "attr(href)" in after or link.get_attribute("href") in after, after
