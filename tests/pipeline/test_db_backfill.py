"""A database written before unsilo stored join keys and domains gets them on opening, computed
by the same functions the extractors use, so old runs analyse exactly as before."""

from __future__ import annotations

from pathlib import Path

import duckdb

from unsilo.pipeline.db import connect

OLD_TABLES = """
create table pages (run_id varchar, url varchar, url_key varchar, final_url varchar,
    hreflang struct(lang varchar, url varchar, source varchar, valid boolean)[]);
create table page_social (run_id varchar, url_key varchar,
    og struct(property varchar, content varchar)[]);
create table profiles (run_id varchar, platform varchar, handle varchar, website varchar,
    links_in_bio varchar[], verified_links varchar[]);
create table post_links (run_id varchar, url varchar, resolved_url varchar);
insert into pages values ('r', 'https://Shop.example/a/', 'https://shop.example/a',
    'https://WWW.Shop.example/a/', [{'lang': 'da', 'url': 'https://Shop.example/da/#x',
    'source': 'head', 'valid': true}, {'lang': 'en', 'url': '/en', 'source': 'head',
    'valid': true}]);
insert into page_social values ('r', 'https://shop.example/a', [{'property': 'og:url',
    'content': ''}, {'property': 'og:url', 'content': 'HTTPS://shop.example:443/a/?utm_source=x'}]);
insert into profiles values ('r', 'mastodon', 'shop', 'https://www.shop.example',
    ['https://blog.shop.example/x', 'mailto:a@b.example'], ['https://shop.example/']);
insert into post_links values ('r', 'https://bit.ly/x', 'https://shop.co.uk/p');
"""


def test_old_rows_get_keys_and_domains(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:
        old.execute(OLD_TABLES)
    con = connect(path)
    assert con.execute("select final_url_domain, hreflang from pages").fetchone() == (
        "shop.example",
        [
            {"lang": "da", "url": "https://Shop.example/da/#x", "source": "head",
             "valid": True, "url_key": "https://shop.example/da", "href_issue": None},
            {"lang": "en", "url": "/en", "source": "head", "valid": True, "url_key": None,
             "href_issue": None},
        ],
    )  # fmt: skip
    assert con.execute("select og_url_key from page_social").fetchone() == (
        "https://shop.example/a",
    )
    assert con.execute("select link_domains, verified_domains from profiles").fetchone() == (
        ["shop.example"],
        ["shop.example"],
    )
    assert con.execute("select domain, resolved_domain from post_links").fetchone() == (
        "bit.ly",
        "shop.co.uk",
    )
