"""The Content-Security-Policy forbids inline scripts; the templates must not need any."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_inline_scripts_or_event_handler_attributes(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), f"{template}: inline <script> (move it to static/js/)"
    assert not EVENT_HANDLER.search(text), f"{template}: inline event handler attribute"


@pytest.mark.django_db
def test_pages_carry_a_strict_csp(client, review, reviewer_a):
    client.force_login(reviewer_a)
    response = client.get(f"/reviews/{review.slug}/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
