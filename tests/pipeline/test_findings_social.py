"""findings_social: given the raw rows of a small run, exactly these social findings come out
(given rows -> expected rows): one well-shared page has none, each other page has one defect."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from tests.pipeline.conftest import SITE, RunBuilder, og_props
from unsilo.items import MetaProperty, OgImageItem
from unsilo.pipeline.analyse import analyse
from unsilo.urls import url_key

SOCIAL_CHECKS = {
    "og_incomplete", "og_image_not_absolute", "og_image_unreachable", "og_image_too_small",
    "og_url_not_canonical", "twitter_card_missing", "no_share_affordance", "no_profile_links",
}  # fmt: skip
CARD = [MetaProperty("twitter:card", "summary_large_image")]


def image(url: str, status: int | None = 200, **facts: Any) -> OgImageItem:
    facts = {"content_type": "image/jpeg", "width": 1200, "height": 630, **facts}
    if status is None:
        facts = {"error": "timeout after 30s", "error_kind": "timeout", **facts}
        facts.update(content_type=None, width=None, height=None)
    return OgImageItem(url=url, url_key=url_key(url), status=status, **facts)


def well_shared(run: RunBuilder, path: str, og: list[MetaProperty] | None = None, **facts: Any):
    """A page with every social fact right, unless ``og``/``facts`` say otherwise."""
    run.page(path)
    social = {"twitter": CARD, "share_links": run.share_link(path), **facts}
    run.social(path, og=og if og is not None else og_props(path), **social)
    run.profile(path, "instagram", "shop", source="rel-me")


@pytest.fixture
def social_findings_of(duck: duckdb.DuckDBPyConnection, query: Any) -> Any:
    def run(builder: RunBuilder) -> dict[tuple[str, str], dict[str, Any]]:
        builder.load()
        analyse(duck, builder.run_id)
        rows = query(
            "SELECT * FROM findings WHERE run_id = $r AND category = 'social'", r=builder.run_id
        )
        assert {r["check"] for r in rows} <= SOCIAL_CHECKS
        assert all(r["severity"] and r["fix"] for r in rows), "every check is in the catalogue"
        return {(r["url"].removeprefix(SITE), r["check"]): r for r in rows}

    return run


def test_a_well_shared_page_has_no_social_findings(make_run: Any, social_findings_of: Any):
    run = make_run()
    well_shared(run, "/")
    run.items.append(image(f"{SITE}/img.jpg"))
    assert social_findings_of(run) == {}


def test_each_defect_is_its_own_finding(make_run: Any, social_findings_of: Any) -> None:
    run = make_run()
    well_shared(run, "/")
    well_shared(run, "/no-type-no-url", og=og_props("/no-type-no-url", og_type=None, og_url=None))
    well_shared(run, "/relative", og=og_props("/relative", og_image="/img/relative.jpg"))
    well_shared(run, "/gone", og=og_props("/gone", og_image=f"{SITE}/img/gone.jpg"))
    well_shared(run, "/html", og=og_props("/html", og_image=f"{SITE}/img/html"))
    well_shared(run, "/tiny", og=og_props("/tiny", og_image=f"{SITE}/img/tiny.jpg"))
    well_shared(run, "/mid", og=og_props("/mid", og_image=f"{SITE}/img/mid.jpg"))
    well_shared(run, "/timeout", og=og_props("/timeout", og_image=f"{SITE}/img/slow.jpg"))
    well_shared(run, "/blocked", og=og_props("/blocked", og_image=f"{SITE}/img/robots.jpg"))
    well_shared(run, "/unprobed", og=og_props("/unprobed", og_image=f"{SITE}/img/later.jpg"))
    well_shared(run, "/other-url", og=og_props("/other-url", og_url=f"{SITE}/elsewhere"))
    well_shared(run, "/no-card", twitter=[])
    well_shared(run, "/no-share", share_links=[])
    well_shared(run, "/widget", share_links=[], share_widgets=["addtoany"])
    run.page("/no-profile")
    run.social("/no-profile", og=og_props("/no-profile"), twitter=CARD, share_links=[])
    run.page("/noindex", noindex=True)  # not indexable: no social finding at all
    run.items += [
        image(f"{SITE}/img.jpg"),
        image(f"{SITE}/img/gone.jpg", 404, content_type="text/html", width=None, height=None),
        image(f"{SITE}/img/html", 200, content_type="text/html", width=None, height=None),
        image(f"{SITE}/img/tiny.jpg", width=150, height=150),
        image(f"{SITE}/img/mid.jpg", width=800, height=420),
        image(f"{SITE}/img/slow.jpg", None),
        image(f"{SITE}/img/robots.jpg", None, error_kind="robots", error="robots.txt"),
    ]
    for path in ("/no-type-no-url", "/other-url", "/no-card", "/no-share", "/widget"):
        run.items.append(image(f"{SITE}/img{path}.jpg"))
    got = social_findings_of(run)
    assert set(got) == {
        ("/no-type-no-url", "og_incomplete"),
        ("/relative", "og_image_not_absolute"),
        ("/gone", "og_image_unreachable"),
        ("/html", "og_image_unreachable"),
        ("/timeout", "og_image_unreachable"),
        ("/tiny", "og_image_too_small"),
        ("/mid", "og_image_too_small"),
        ("/other-url", "og_url_not_canonical"),
        ("/no-card", "twitter_card_missing"),
        ("/no-share", "no_share_affordance"),
        ("/no-profile", "no_share_affordance"),
        ("/no-profile", "no_profile_links"),
    }
    assert got["/no-type-no-url", "og_incomplete"]["message"] == "Open Graph lacks og:type, og:url"
    assert got["/no-type-no-url", "og_incomplete"]["severity"] == "high"
    assert got["/gone", "og_image_unreachable"]["message"] == "og:image answered HTTP 404"
    assert "text/html, not as an image" in got["/html", "og_image_unreachable"]["message"]
    assert "timeout" in got["/timeout", "og_image_unreachable"]["message"]
    assert "under the 200x200" in got["/tiny", "og_image_too_small"]["message"]
    assert "800x420" in got["/mid", "og_image_too_small"]["message"]
    assert "small thumbnail" not in got["/mid", "og_image_too_small"]["message"]
    assert got["/relative", "og_image_not_absolute"]["detail"] == "/img/relative.jpg"
    assert "falls back to Open Graph" in got["/no-card", "twitter_card_missing"]["message"]


def test_a_page_without_social_facts_misses_everything(make_run: Any, social_findings_of: Any):
    run = make_run()
    run.page("/")
    got = social_findings_of(run)
    assert set(got) == {
        ("/", "og_incomplete"),
        ("/", "twitter_card_missing"),
        ("/", "no_share_affordance"),
        ("/", "no_profile_links"),
    }
    assert got["/", "og_incomplete"]["message"] == (
        "Open Graph lacks og:title, og:type, og:image, og:url"
    )
    assert "bare link" in got["/", "twitter_card_missing"]["message"]


def test_og_url_of_the_canonical_is_fine(make_run: Any, social_findings_of: Any) -> None:
    run = make_run()
    well_shared(run, "/", og=og_props("/", og_url=f"{SITE}/?"))  # same key as the page's own
    run.items.append(image(f"{SITE}/img.jpg"))
    assert social_findings_of(run) == {}


def test_findings_carry_their_pages_section(make_run: Any, query: Any, duck) -> None:
    run = make_run()
    run.page("/")
    run.page("/products/shoe")
    run.load()
    analyse(duck, run.run_id)
    sections = {
        (r["url"].removeprefix(SITE), r["section"])
        for r in query("select url, section from findings where \"check\" = 'og_incomplete'")
    }
    assert sections == {("/", "home"), ("/products/shoe", "product")}


def test_an_older_database_gains_og_images_and_finding_sections(tmp_path) -> None:
    from unsilo.pipeline.db import connect

    path = tmp_path / "old.duckdb"
    old = connect(path)
    old.execute("drop table og_images")  # as written before the probe existed
    old.execute(
        'create table findings (run_id varchar, url varchar, url_key varchar, "check" varchar,'
        " category varchar, severity varchar, message varchar, fix varchar, detail varchar)"
    )
    old.execute("insert into findings values ('old', 'u', 'k', 'title_missing', 't', 'high',"
                " 'm', 'f', null)")  # fmt: skip
    old.close()
    con = connect(path)
    try:
        assert con.execute("select count(*) from og_images").fetchone() == (0,)
        analyse(con, "new")
        rows = con.execute("select run_id, section from findings order by run_id").fetchall()
    finally:
        con.close()
    assert rows == [("old", None)]  # the old run keeps its row; the new run has no pages
