"""The site model: root discovery, listing, permalinks as Jekyll computes them."""
from app.core.site import Site, find_root, slugify


def test_slugify_drops_trailing_dash_and_keeps_case():
    assert slugify("1-smb-genai-first-90-days") == "1-smb-genai-first-90-days"
    assert slugify("2-why-rag-projects-stall-in-th-") == "2-why-rag-projects-stall-in-th"
    assert slugify("1-Hello World!") == "1-Hello-World!"


def test_find_root_walks_upward(make_site):
    root = make_site({"_posts/2026-01-02-1-a.md": "---\ntitle: a\n---\n"})
    assert find_root(root / "_posts" / "2026-01-02-1-a.md") == root.resolve()
    assert find_root(root / "_posts") == root.resolve()
    assert find_root(root.parent) is None


def test_posts_drafts_pages_and_urls(make_site):
    root = make_site({
        "_posts/2026-03-04-1-smb-genai-first-90-days.md": "---\ntitle: a\n---\n",
        "_posts/2026-03-04-2-why-rag-projects-stall-in-th-.md": "---\ntitle: b\n---\n",
        "_drafts/next-post.md": "---\ntitle: c\n---\n",
        "contact.md": "---\ntitle: お問い合わせ\npermalink: /contact/\n---\n",
        "about.md": "---\ntitle: about\n---\n",
        "index.md": "---\ntitle: home\n---\n",
        "assets/images/x.png": b"\x89PNG",
    })
    site = Site(root)
    assert [p.url for p in site.posts] == ["/2026/03/04/1-smb-genai-first-90-days/",
                                           "/2026/03/04/2-why-rag-projects-stall-in-th/"]
    assert [d.rel for d in site.drafts] == ["_drafts/next-post.md"]
    assert site.post_for_url("/2026/03/04/2-why-rag-projects-stall-in-th/").slug.endswith("-")
    assert site.post_url("2026-03-04-1-smb-genai-first-90-days") == "/2026/03/04/1-smb-genai-first-90-days/"
    assert site.resolve_internal("/contact/?utm_source=article").rel == "contact.md"
    assert site.resolve_internal("/about/").rel == "about.md"
    assert site.resolve_internal("/").rel == "index.md"
    assert site.resolve_internal("/assets/images/x.png") is not None
    assert site.resolve_internal("/2026/03/05/1-nothing/") is None


def test_permalink_from_jekyll_config(make_site):
    root = make_site({"_config.yml": "permalink: /blog/:year/:title/\n",
                      "_posts/2026-03-04-1-a.md": "---\ntitle: a\n---\n"})
    assert Site(root).posts[0].url == "/blog/2026/1-a/"


def test_pages_skip_underscore_and_dot_folders_but_find_nested_pages(make_site):
    """Jekyll publishes no page from `_`/`.` folders (or node_modules/vendor at the
    top); the walk prunes them, nested pages elsewhere are found, in path order."""
    page = "---\ntitle: p\n---\n"
    root = make_site({
        "docs/guide/index.md": page, "docs/faq.html": page, "about.md": page,
        ".git/README.md": page, "_includes/cta.html": page, ".postdesk-cache/x.md": page,
        "node_modules/pkg/readme.md": page, "vendor/bundle/readme.md": page,
        "docs/_partials/x.md": page, "docs/.hidden.md": page, "docs/_draft.md": page,
        "docs/vendor/kept.md": page, "notes.txt": "text",
    })
    site = Site(root)
    assert [(p.rel, p.url) for p in site.pages] == [
        ("about.md", "/about/"), ("docs/faq.html", "/docs/faq/"),
        ("docs/guide/index.md", "/docs/guide/"), ("docs/vendor/kept.md", "/docs/vendor/kept/")]
