"""Share-link classification: intent/sharer URLs → platform; everything else → None."""

from __future__ import annotations

import pytest

from unsilo.extract.share import classify_share, share_links

SHARES = [
    ("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fshop.dk", "facebook"),
    ("https://facebook.com/sharer.php?u=x", "facebook"),
    ("https://m.facebook.com/share.php?u=x", "facebook"),
    ("https://www.facebook.com/dialog/share?app_id=1&href=x", "facebook"),
    ("https://www.facebook.com/dialog/feed?app_id=1&link=x", "facebook"),
    ("https://twitter.com/intent/tweet?url=x", "x"),
    ("https://twitter.com/share?url=x", "x"),
    ("https://x.com/intent/tweet?text=x", "x"),
    ("https://x.com/intent/post?text=x", "x"),
    ("https://X.COM/share?url=x", "x"),
    ("https://www.linkedin.com/sharing/share-offsite/?url=x", "linkedin"),
    ("https://www.linkedin.com/shareArticle?mini=true&url=x", "linkedin"),
    ("https://www.linkedin.com/cws/share?url=x", "linkedin"),
    ("https://www.pinterest.com/pin/create/button/?url=x", "pinterest"),
    ("https://pinterest.co.uk/pin/create/link/?url=x", "pinterest"),
    ("https://www.reddit.com/submit?url=x", "reddit"),
    ("https://wa.me/?text=x", "whatsapp"),
    ("https://api.whatsapp.com/send?text=x", "whatsapp"),
    ("whatsapp://send?text=x", "whatsapp"),
    ("https://t.me/share/url?url=x", "telegram"),
    ("https://telegram.me/share/url?url=x", "telegram"),
    ("mailto:?subject=Look&body=https%3A%2F%2Fshop.dk", "email"),
    ("MAILTO:?Body=See%20https://shop.dk/a.", "email"),
    ("https://bsky.app/intent/compose?text=x", "bluesky"),
    ("https://mastodon.social/share?text=x", "mastodon"),
    ("https://mastodonshare.com/?text=x", "mastodon"),
    ("https://toot.kytta.dk/?text=x", "mastodon"),
    ("https://s2f.kytta.dk/?text=x", "mastodon"),
    ("https://www.tumblr.com/widgets/share/tool?canonicalUrl=x", "tumblr"),
    ("https://vk.com/share.php?url=x", "vk"),
    ("https://www.xing.com/spi/shares/new?url=x", "xing"),
    ("https://www.xing.com/social/share/spi?url=x", "xing"),
    ("https://share.flipboard.com/bookmarklet/popout?v=2&title=t&url=x", "flipboard"),
]
NOT_SHARES = [
    "https://www.facebook.com/myshop",
    "https://www.facebook.com/sharemyshop",
    "https://twitter.com/sharemaster",
    "https://x.com/myshop",
    "https://www.linkedin.com/company/myshop",
    "https://www.pinterest.com/myshop/",
    "https://www.reddit.com/r/denmark",
    "https://wa.me/4512345678?text=hi",  # a chat with the shop, not a share
    "https://api.whatsapp.com/send?phone=4512345678&text=hi",
    "https://wa.me/4512345678",
    "mailto:info@shop.example",
    "mailto:info@shop.example?subject=Order%20question",  # a contact link, nothing shared
    "mailto:?subject=Look&body=Nice%20boots",
    "https://flipboard.com/@myshop",
    "https://t.me/myshop",
    "https://bsky.app/profile/shop.bsky.social",
    "https://mastodon.social/@shop",
    "https://blog.kytta.dk/?text=x",
    "https://shop.example/share?text=x",
    "javascript:share()",
    "tel:+4512345678",
    "http://[::1/share",
    "",
]


@pytest.mark.parametrize(("url", "platform"), SHARES)
def test_share_urls_are_classified(url: str, platform: str) -> None:
    assert classify_share(url) == platform


@pytest.mark.parametrize("url", NOT_SHARES)
def test_other_urls_are_not_shares(url: str) -> None:
    assert classify_share(url) is None


def test_share_links_are_distinct_and_in_order() -> None:
    fb = "https://www.facebook.com/sharer.php?u=x"
    x = "https://x.com/intent/post?text=x"
    found = share_links([fb, "https://shop.example/", x, fb])
    assert [(s.platform, s.url) for s in found] == [("facebook", fb), ("x", x)]


PAGE = frozenset({"https://shop.dk/boots"})


@pytest.mark.parametrize(
    ("url", "shares"),
    [
        ("mailto:?subject=Boots&body=https%3A%2F%2Fshop.dk%2Fboots%3Futm_source%3Dmail", True),
        ("mailto:?subject=Look%20at%20https://SHOP.dk/boots/", True),
        ("mailto:?subject=Look&body=https%3A%2F%2Fshop.dk%2F", False),  # the home page
        ("mailto:info@shop.dk?subject=Order&body=Re%20https://shop.dk/orders/1", False),
    ],
)
def test_mail_shares_only_the_page_itself(url: str, shares: bool) -> None:
    assert bool(share_links([url], PAGE)) is shares
