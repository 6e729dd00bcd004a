"""Profile classification: profile URL → (platform, handle); non-profiles → None."""

from __future__ import annotations

import pytest

from unsilo.extract.profiles import classify_profile
from unsilo.extract.rel_me import profile_links

PROFILES = [
    ("https://www.facebook.com/MyShop", ("facebook", "myshop")),
    ("https://m.facebook.com/myshop/", ("facebook", "myshop")),
    ("https://www.facebook.com/profile.php?id=100012345", ("facebook", "100012345")),
    ("https://www.instagram.com/MyShop/", ("instagram", "myshop")),
    ("https://instagram.com/my.shop", ("instagram", "my.shop")),
    ("https://twitter.com/MyShop", ("x", "myshop")),
    ("https://x.com/my_shop", ("x", "my_shop")),
    ("https://www.linkedin.com/company/my-shop/", ("linkedin", "my-shop")),
    ("https://dk.linkedin.com/in/Jane-Doe", ("linkedin", "jane-doe")),
    ("https://www.youtube.com/@MyShop", ("youtube", "myshop")),
    ("https://www.youtube.com/channel/UCaBcD123", ("youtube", "UCaBcD123")),
    ("https://www.youtube.com/c/MyShop", ("youtube", "myshop")),
    ("https://www.youtube.com/user/MyShop", ("youtube", "myshop")),
    ("https://www.tiktok.com/@MyShop", ("tiktok", "myshop")),
    ("https://www.pinterest.com/myshop/", ("pinterest", "myshop")),
    ("https://www.pinterest.dk/myshop/boots/", ("pinterest", "myshop")),
    ("https://myshop.tumblr.com/", ("tumblr", "myshop")),
    ("https://www.tumblr.com/myshop", ("tumblr", "myshop")),
    ("https://bsky.app/profile/MyShop.bsky.social", ("bluesky", "myshop.bsky.social")),
    ("https://www.threads.net/@MyShop", ("threads", "myshop")),
    ("https://www.threads.com/@myshop", ("threads", "myshop")),
    ("https://mastodon.social/@MyShop", ("mastodon", "myshop@mastodon.social")),
    ("https://fosstodon.org/@shop", ("mastodon", "shop@fosstodon.org")),
    ("https://toot.community/@shop", ("mastodon", "shop@toot.community")),
    ("https://social.example.org/@shop", ("mastodon", "shop@social.example.org")),
    ("https://mastodon.social/@shop@other.example", ("mastodon", "shop@other.example")),
    ("https://www.reddit.com/user/MyShop", ("reddit", "u/myshop")),
    ("https://reddit.com/u/myshop", ("reddit", "u/myshop")),
    ("https://www.reddit.com/r/Denmark/", ("reddit", "r/denmark")),
    ("https://github.com/MyShop", ("github", "myshop")),
    ("https://www.xing.com/profile/Jane_Doe", ("xing", "jane_doe")),
    ("https://www.xing.com/pages/myshop", ("xing", "myshop")),
    ("https://vimeo.com/MyShop", ("vimeo", "myshop")),
    ("https://vimeo.com/user12345", ("vimeo", "user12345")),
    ("https://soundcloud.com/MyShop", ("soundcloud", "myshop")),
    ("https://www.flickr.com/photos/myshop/", ("flickr", "myshop")),
    ("https://www.flickr.com/people/12345678@N02/", ("flickr", "12345678@n02")),
    ("https://twitter.com/intent/follow?screen_name=MyShop", ("x", "myshop")),
    ("https://x.com/intent/follow?screen_name=my_shop", ("x", "my_shop")),
    ("https://twitter.com/intent/user?screen_name=MyShop", ("x", "myshop")),
]
NOT_PROFILES = [
    "https://www.facebook.com/sharer/sharer.php?u=x",
    "https://www.facebook.com/help",
    "https://www.facebook.com/myshop/posts/123",
    "https://twitter.com/intent/tweet?text=x",
    "https://twitter.com/home",
    "https://x.com/myshop/status/123",
    "https://x.com/this_handle_is_too_long",
    "https://www.instagram.com/p/Cabc123/",
    "https://www.instagram.com/explore/tags/boots/",
    "https://www.linkedin.com/sharing/share-offsite/?url=x",
    "https://www.youtube.com/watch?v=abc",
    "https://www.tiktok.com/@myshop/video/123",
    "https://www.pinterest.com/pin/create/button/?url=x",
    "https://www.pinterest.com/pin/12345/",
    "https://www.tumblr.com/widgets/share/tool",
    "https://bsky.app/intent/compose?text=x",
    "https://medium.com/@writer",
    "https://shop.example/@team",
    "https://mastodon.social/@shop/1234567",
    "https://www.reddit.com/submit?url=x",
    "https://shop.example/facebook.com/myshop",
    "mailto:shop@facebook.com",
    "https://www.xing.com/spi/shares/new?url=x",
    "https://www.xing.com/jobs/berlin-developer-123",
    "https://www.xing.com/profile/Jane_Doe/cv/extra",
    "https://vimeo.com/123456789",  # a video
    "https://vimeo.com/channels/staffpicks",
    "https://player.vimeo.com/video/123456789",
    "https://soundcloud.com/myshop/a-track",
    "https://soundcloud.com/discover",
    "https://w.soundcloud.com/player/?url=x",
    "https://www.flickr.com/photos/myshop/5342231/",  # a photo
    "https://www.flickr.com/photos/tags/boots",
    "https://www.flickr.com/groups/hiking/",
    "https://twitter.com/intent/follow?user_id=12345",
    "https://x.com/intent/follow?screen_name=this_handle_is_too_long",
    "https://x.com/intent/tweet?screen_name=myshop",
    "",
]


@pytest.mark.parametrize(("url", "expected"), PROFILES)
def test_profile_urls_are_classified(url: str, expected: tuple[str, str]) -> None:
    assert classify_profile(url) == expected


@pytest.mark.parametrize("url", NOT_PROFILES)
def test_other_urls_are_not_profiles(url: str) -> None:
    assert classify_profile(url) is None


def test_profile_links_once_per_url_and_source() -> None:
    fb = "https://www.facebook.com/myshop"
    items = profile_links(
        "https://shop.example/",
        links=[fb, "https://shop.example/about", fb],
        same_as=[fb],
        rel_me=["https://mastodon.social/@shop"],
    )
    assert [(i.platform, i.handle, i.source) for i in items] == [
        ("facebook", "myshop", "link"),
        ("facebook", "myshop", "sameAs"),
        ("mastodon", "shop@mastodon.social", "rel-me"),
    ]
    assert {i.url_key for i in items} == {"https://shop.example/"}
