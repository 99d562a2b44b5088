"""A corpus of XSS payloads: each one, if it ever ran, would set ``window.__xss`` or open a dialog.

Used as hostile input for attempt texts, feedback, institution and person names and course Markdown
(tests/e2e/test_xss.py). Grouped by technique; keep every payload self-contained.
"""

SET = "window.__xss=1"

SCRIPT_TAGS = [
    f"<script>{SET}</script>",
    "<script>alert(1)</script>",
    f"<SCRIPT>{SET}</SCRIPT>",
    f"<script src=data:text/javascript,{SET}></script>",
    f"<scr<script>ipt>{SET}</scr</script>ipt>",
    f"<script\n>{SET}</script\n>",
    f"<script type=module>{SET}</script>",
]

EVENT_HANDLERS = [
    f"<img src=x onerror={SET}>",
    "<img src=x onerror=alert(1)>",
    f'<img src="x" onerror="{SET}">',
    f"<IMG SRC=x OnErRoR={SET}>",
    f"<svg onload={SET}>",
    "<svg/onload=alert(1)>",
    f"<body onload={SET}>",
    f"<input autofocus onfocus={SET}>",
    f"<details open ontoggle={SET}>",
    f"<video><source onerror={SET}></video>",
    f"<audio src=x onerror={SET}>",
    f"<marquee onstart={SET}>x</marquee>",
    f'<div onmouseover="{SET}">hover</div>',
    f"<select autofocus onfocus={SET}></select>",
    f"<textarea autofocus onfocus={SET}></textarea>",
]

ATTRIBUTE_BREAKOUTS = [
    f'"><script>{SET}</script>',
    f"'><script>{SET}</script>",
    f'" onmouseover="{SET}" x="',
    f"' autofocus onfocus='{SET}' x='",
    f'"><img src=x onerror={SET}>',
    f"</title><script>{SET}</script>",
    f"</textarea><script>{SET}</script>",
    f"</script><script>{SET}</script>",
]

URLS = [
    f'<a href="javascript:{SET}">click</a>',
    f'<a href="JaVaScRiPt:{SET}">click</a>',
    f'<a href=" javascript:{SET}">click</a>',
    f'<a href="data:text/html,<script>{SET}</script>">click</a>',
    f'<a href="vbscript:{SET}">click</a>',
    f"<iframe src=javascript:{SET}></iframe>",
    f'<iframe srcdoc="<script>parent.{SET}</script>"></iframe>',
    f'<object data="data:text/html,<script>{SET}</script>"></object>',
    f'<embed src="data:text/html,<script>{SET}</script>">',
    f'<form action="javascript:{SET}"><button>go</button></form>',
    f'<button formaction="javascript:{SET}">go</button>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{SET}">',
    f'<base href="javascript:{SET}//">',
]

MARKDOWN = [
    f"[click](javascript:{SET})",
    "[click](javascript:alert(1))",
    f"[click](JAVASCRIPT:{SET})",
    f"[click]( javascript:{SET} )",
    "[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    f"![x](javascript:{SET})",
    f'![x](x" onerror="{SET})',
    f"![x](data:image/svg+xml,<svg onload={SET}>)",
    f"[ref]\n\n[ref]: javascript:{SET}",
    f"<javascript:{SET}>",
    f'[x](https://example.org "title" onmouseover="{SET}")',
    f"```\n</code></pre><script>{SET}</script>\n```",
]

ENTITIES = [
    f'<a href="&#106;avascript:{SET}">click</a>',
    f"[click](&#106;avascript:{SET})",
    f'<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:{SET}">click</a>',
    f'<a href="java&#09;script:{SET}">click</a>',
    f'<a href="javascript&colon;{SET}">click</a>',
    f"&lt;script&gt;{SET}&lt;/script&gt;",
    '<img src=x onerror="&#119;indow.__xss=1">',
]

SVG_MATH_MUTATION = [
    f"<svg><script>{SET}</script></svg>",
    f'<svg><a xlink:href="javascript:{SET}"><text y="20">click</text></a></svg>',
    f'<svg><animate onbegin="{SET}" attributeName="x" dur="1s"/></svg>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={SET}>",
    f'<math><mi xlink:href="javascript:{SET}">click</mi></math>',
    f"<template><script>{SET}</script></template>",
    f'<noscript><p title="</noscript><img src=x onerror={SET}>">',
    f'<svg></p><style><a id="</style><img src=1 onerror={SET}>">',
    f"<form><math><mtext></form><form><mglyph><style></math><img src onerror={SET}>",
]

CSS = [
    f'<div style="background:url(javascript:{SET})">x</div>',
    f'<div style="width:expression({SET})">x</div>',
    f"<style>@import 'javascript:{SET}';</style>",
    f"<style>*{{background:url('javascript:{SET}')}}</style>",
    f'<link rel="stylesheet" href="javascript:{SET}">',
]

TEMPLATES = [
    "{{ 7*7 }}",
    "{{ config }}",
    "{% for x in range(3) %}{{ x }}{% endfor %}",
    "${7*7}",
    "{{constructor.constructor('window.__xss=1')()}}",
]

PAYLOADS: list[str] = [
    *SCRIPT_TAGS,
    *EVENT_HANDLERS,
    *ATTRIBUTE_BREAKOUTS,
    *URLS,
    *MARKDOWN,
    *ENTITIES,
    *SVG_MATH_MUTATION,
    *CSS,
    *TEMPLATES,
]

# Short ones fit where the database limits the length (an institution's name: 200, a person's: 120, gmina: 120).
SHORT_PAYLOADS: list[str] = [payload for payload in PAYLOADS if len(payload) <= 110]

# Plain text that must survive as visible text (nothing in it is markup).
INERT_TEXT = ["{{ 7*7 }}", "${7*7}", "javascript:alert(1)"]
