"""The signals sections as a reader sees them: broken bridges on the first screen, most shared
and discussed pages, the sources asked, and each page's signals; hostile strings stay text."""

from __future__ import annotations

SITE = "https://shop.example"
LONG_URL = SITE + "/products/" + "very-long-product-name-" * 5 + "final"


def bridges(db, run: str) -> None:
    db.bridge(
        run,
        LONG_URL,
        "Shared 3 times (hackernews, lemmy) and now answers HTTP 404 <script>x()</script>",
        ["javascript:alert(1)", "https://news.example/item?id=1", "https://lemmy.example/post/2"],
    )


def test_broken_bridges_come_first_with_short_url_reason_and_share_links(shop, db, render) -> None:
    bridges(db, shop.current)
    soup = render(shop.current)
    sections = [s["id"] for s in soup.select("section[id]")]
    assert sections[:2] == ["at-a-glance", "broken-bridges"]  # first after the glance at them
    assert soup.find_all("h2")[1].get_text(strip=True) == "Broken bridges"
    glance = soup.select_one('#at-a-glance [data-glance="bridges"]')
    assert glance.select_one(".glance-figure").get_text() == "1"
    [row] = soup.select("#bridge-table tr.bridge")
    url = row.select_one("td.url .short-url")
    assert url["title"] == LONG_URL  # the full URL on hover
    assert url.a["href"] == LONG_URL and len(url.a.get_text()) <= 60
    why = row.select_one("td.why").get_text()
    assert "Shared 3 times (Hacker News, Lemmy) and now answers HTTP 404" in why  # brands
    assert "<script>x()</script>" in why and not soup.find("script", string="x()")
    links = [a["href"] for a in row.select("td.shares a")]
    assert links == ["https://news.example/item?id=1", "https://lemmy.example/post/2"]
    assert "javascript:alert(1)" in row.select_one("td.shares").get_text()  # text, not a link
    assert not soup.select('a[href^="javascript"]')
    assert soup.select_one('nav.toc a[href="#broken-bridges"]')


def test_no_bridges_says_whether_any_source_was_asked(shop, db, render) -> None:
    off = render(shop.current).select_one("#no-bridges").get_text()
    assert "no signal source was asked" in off
    db.source(shop.current, "hackernews", "ok", found=4)
    on = render(shop.current).select_one("#no-bridges").get_text(" ", strip=True)
    assert "No broken bridges" in on and "4 signals found by 1 source" in on


def test_signals_off_note_instead_of_sources_table(shop, render) -> None:
    soup = render(shop.current)
    assert "signals off" in soup.select_one("#signals-off").get_text()
    assert not soup.select("#signal-sources, #most-shared, #most-discussed")


def test_sources_table_shows_status_coverage_and_what_a_token_would_add(shop, db, render) -> None:
    db.source(shop.current, "hackernews", "ok", requests=2, found=4)
    db.source(shop.current, "lemmy", "ok", requests=9, urls_asked=3, urls_wanted=10, urls_fresh=7)
    hint = "set REDDIT_TOKEN to read per-page threads <b>now</b>"
    db.source(shop.current, "reddit", "needs token", reason="no token", token_hint=hint)
    soup = render(shop.current)
    table = {
        tr["data-source"]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select("#signal-sources tbody tr")
    }
    assert table["hackernews"][:5] == ["Hacker News", "ok", "2", "whole domain", "4"]
    assert table["lemmy"][3] == "3 of 10, 7 fresh reused"
    reddit = soup.select_one('#signal-sources tr[data-status="needs token"]')
    assert reddit.select_one(".token-hint").get_text(" ", strip=True) == f"With a token: {hint}"
    assert not reddit.find("b")  # the hint is text
    assert table["reddit"][3] == "–"  # asked nothing: neither the domain nor pages
    assert not soup.select_one("tr[data-source=hackernews] .token-hint")


def test_a_partly_answered_source_is_not_badged_like_a_complete_one(shop, db, render) -> None:
    db.source(shop.current, "hackernews", "ok", found=1)
    db.source(shop.current, "lemmy", "partial", reason="97 pages over the per-URL budget")
    soup = render(shop.current)
    badge = {
        tr["data-source"]: tr.select_one(".badge")["class"]
        for tr in soup.select("#signal-sources tbody tr")
    }
    assert "status-ok" in badge["hackernews"]
    assert "status-partial" in badge["lemmy"] and "status-ok" not in badge["lemmy"]


def test_most_shared_and_discussed_list_sources_level_and_score(shop, db, render) -> None:
    db.source(shop.current, "hackernews", "ok", found=3)
    db.levels(
        shop.current,
        [
            db.Level(
                f"{SITE}/hit", "conversation", 95, shares=3, talk_backs=7, shared_on=["hackernews"]
            ),
            db.Level(f"{SITE}/quiet", "shared", 80, shares=1, shared_on=["lemmy"], shop_posts=2),
        ],
    )
    soup = render(shop.current)
    shared = [tr.find_all("td") for tr in soup.select("#most-shared tbody tr")]
    assert [tds[0].a["href"] for tds in shared] == [f"{SITE}/hit", f"{SITE}/quiet"]
    hit = [td.get_text(" ", strip=True) for td in shared[0]]
    assert hit[1:] == ["3", "7", "Hacker News", "conversation", "95"]
    assert shared[1][3].get_text(" ", strip=True) == "Lemmy · 2 own posts"
    discussed = soup.select("#most-discussed tbody tr")
    assert [tr.a["href"] for tr in discussed] == [f"{SITE}/hit"]
    assert "2 pages shared, 1 with a conversation" in soup.select_one("#signals").get_text()


def test_page_row_lists_found_and_unknown_sources_and_collapses_none(shop, db, render) -> None:
    page = "https://shop.example/blog/a"
    db.page_signal(
        shop.current,
        page,
        "lemmy",
        "found",
        shares=2,
        comments=5,
        permalinks=["https://l.example/p/1"],
    )
    db.page_signal(shop.current, page, "hackernews", "found", shares=1, permalinks=[shop.js_url])
    db.page_signal(shop.current, page, "reddit", "unknown", reason="needs token <i>x</i>")
    db.page_signal(shop.current, page, "wikipedia", "none")
    db.page_signal(shop.current, page, "bluesky", "none")
    soup = render(shop.current)
    row = next(tr for tr in soup.select("#page-table tr.page-row") if tr.find("a", href=page))
    lines = {li.get("data-source") or "none": li for li in row.select("ul.page-signals li")}
    assert lines["lemmy"].get_text(" ", strip=True) == "Lemmy: 2 shares, 5 comments · first share"
    assert lines["lemmy"].a["href"] == "https://l.example/p/1"
    assert lines["hackernews"].find("a") is None  # a javascript: permalink is never a link
    assert lines["reddit"].get_text(" ", strip=True) == "Reddit: unknown (needs token <i>x</i>)"
    assert lines["none"].get_text(strip=True) == "asked, nothing found: Bluesky, Wikipedia"
    assert len(lines) == 4
    quiet = next(
        tr for tr in soup.select("#page-table tr.page-row") if tr.find("a", href=f"{SITE}/")
    )
    assert not quiet.select("ul.page-signals")  # no source asked about it: no lines at all


def test_method_explains_shared_conversation_and_unknown(shop, render) -> None:
    text = render(shop.current).select_one("#method-signals").get_text(" ", strip=True)
    assert "shared" in text and "conversation" in text and "shop's own posts" in text
