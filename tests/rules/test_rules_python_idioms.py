"""The Python rules on the many spellings of one defect: aliases, sessions, chained queries, fallbacks."""

from __future__ import annotations

import pytest

from tests.rules.conftest import review, rule_lines

# (rule id, code, flagged?): each family of idioms next to its safe near-miss.
ROWS = [
    # requests through an alias, an imported verb, or a Session (attribute or `with`).
    ("py-requests-indirect-without-timeout", "import requests as r\nr.post(url, json=body)\n", True),
    ("py-requests-indirect-without-timeout", "from requests import get\nget(url).content\n", True),
    ("py-requests-indirect-without-timeout", "from requests import post as send\nsend(url)\n", True),
    (
        "py-requests-indirect-without-timeout",
        "import requests\nwith requests.Session() as s:\n    s.request('GET', url)\n",
        True,
    ),
    (
        "py-requests-indirect-without-timeout",
        "from requests import Session\nclass C:\n    def __init__(self):\n        self.http = Session()\n"
        "    def f(self):\n        return self.http.put(url)\n",
        True,
    ),
    ("py-requests-indirect-without-timeout", "import requests as r\nr.post(url, timeout=5)\n", False),
    ("py-requests-indirect-without-timeout", "import requests as r\nr.post(url, **opts)\n", False),
    ("py-requests-indirect-without-timeout", "import requests\nrequests.get(url)\n", False),  # the YAML rule's
    ("py-requests-indirect-without-timeout", "from flask import request\nrequest.get(url)\n", False),
    ("py-requests-indirect-without-timeout", "import httpx\ns = httpx.Client()\ns.get(url)\n", False),
    ("py-requests-indirect-without-timeout", "cache = {}\ncache.get(key)\n", False),
    # Swallowed errors: a silent fallback value after a write or a payment, and dependency errors dropped with
    # `pass`. The same fallback after a read or a parse is the default it looks like.
    ("py-swallowed-exception", "try:\n    r = charge(card)\nexcept Exception:\n    r = {'ok': True}\n", True),
    ("py-swallowed-exception", "try:\n    q = quote()\nexcept Exception:\n    q = {'cents': 0}\n", False),
    (
        "py-swallowed-exception",
        "def f():\n    try:\n        return send_invoice(o)\n    except Exception:\n        return False\n",
        True,
    ),
    (
        "py-swallowed-exception",
        "def f():\n    try:\n        return a()\n    except Exception:\n        return False\n",
        False,
    ),
    ("py-swallowed-exception", "try:\n    a()\nexcept Exception:\n    pass\n", True),
    ("py-swallowed-exception", "try:\n    pay()\nexcept stripe.error.StripeError:\n    pass\n", True),
    ("py-swallowed-exception", "try:\n    post(u)\nexcept requests.exceptions.ConnectionError:\n    pass\n", True),
    ("py-swallowed-exception", "try:\n    c.execute('UPDATE t SET a = 1')\nexcept DatabaseError:\n    pass\n", True),
    # A narrow handler around reads that fall back to "unknown" degrades; nothing that was to happen is lost.
    ("py-swallowed-exception", "try:\n    get()\nexcept requests.exceptions.ConnectionError:\n    pass\n", False),
    ("py-swallowed-exception", "try:\n    c.execute('SELECT version()')\nexcept DatabaseError:\n    pass\n", False),
    ("py-swallowed-exception", "try:\n    q = quote()\nexcept Exception:\n    q = fallback_quote()\n", False),
    ("py-swallowed-exception", "try:\n    q = quote()\nexcept Exception as e:\n    q = {'error': e}\n", False),
    ("py-swallowed-exception", "try:\n    get()\nexcept requests.ConnectionError:\n    log.warning('x')\n", False),
    ("py-swallowed-exception", "try:\n    v = d[k]\nexcept KeyError:\n    pass\n", False),
    ("py-swallowed-exception", "try:\n    os.remove(p)\nexcept FileNotFoundError:\n    pass\n", False),
    ("py-swallowed-exception", "try:\n    o = Order.objects.get(pk=1)\nexcept Order.DoesNotExist:\n    pass\n", False),
    ("py-swallowed-exception", "try:\n    pay()\nexcept stripe.error.StripeError:\n    x = None\n", False),
    (
        "py-swallowed-exception",
        "def ok(self):\n    try:\n        self.raise_for_status()\n    except HTTPError:\n        return False\n",
        False,
    ),
    # Module dicts used as caches by behaviour (looked up, then filled with a computed value).
    (
        "py-unbounded-module-cache",
        "_rates = {}\ndef rate(k):\n    if k not in _rates:\n        _rates[k] = fetch(k)\n    return _rates[k]\n",
        True,
    ),
    (
        "py-unbounded-module-cache",
        "_users: dict[str, dict] = {}\ndef user(k):\n    u = _users.get(k)\n    if u is None:\n"
        "        u = _users[k] = load(k)\n    return u\n",
        True,
    ),
    (
        "py-unbounded-module-cache",
        "_handlers = {}\ndef register(name, fn):\n    if name in _handlers:\n        raise ValueError(name)\n"
        "    _handlers[name] = fn\n",
        False,
    ),
    ("py-unbounded-module-cache", "counts = {}\ndef hit(k):\n    counts[k] = counts.get(k, 0) + len(k)\n", False),
    (
        "py-unbounded-module-cache",
        "_rates = {}\ndef rate(k):\n    if k not in _rates:\n        _rates[k] = fetch(k)\n    return _rates[k]\n"
        "def reset():\n    _rates.clear()\n",
        False,
    ),
    # Module state written from functions that other threads run.
    (
        "py-thread-shared-write",
        "stock = {}\ndef pull(w):\n    for i in w.items:\n        stock[i] = stock.get(i, 0) + 1\n"
        "with ThreadPoolExecutor(8) as pool:\n    pool.submit(pull, w)\n",
        True,
    ),
    (
        "py-thread-shared-write",
        "seen = set()\ndef mark(x):\n    seen.add(x)\nThread(target=mark, args=(1,)).start()\n",
        True,
    ),
    ("py-thread-shared-write", "n = 0\ndef inc():\n    global n\n    n += 1\nexecutor.submit(inc)\n", True),
    ("py-thread-shared-write", "out = []\ndef work(x):\n    out.append(x)\npool.map(work, xs)\n", False),
    ("py-thread-shared-write", "stock = {}\ndef pull(w):\n    stock[w] = 1\nlist(map(pull, ws))\n", False),
    (
        "py-thread-shared-write",
        "def pull(w):\n    local = {}\n    local[w] = 1\n    return local\npool.map(pull, ws)\n",
        False,
    ),
    # A localhost default behind a setting is what runs when the setting is missing; on real applications
    # such defaults were judged noise (documented bare-metal defaults), so only an address the code is
    # built to call is reported.
    ("py-localhost-url", "R = os.getenv('REDIS_URL', 'redis://127.0.0.1:6379/0')\n", False),
    ("py-localhost-url", "D = os.environ.get('DATABASE_URL', 'postgres://localhost/app')\n", False),
    ("py-localhost-url", "U = env.str('PUBLIC_BASE_URL', default='http://localhost:3000')\n", False),
    ("py-localhost-url", "O = get_list_from_env('CORS_HOSTS', default=['http://localhost:8000'])\n", False),
    ("py-localhost-url", "def f(s):\n    return s.llm_endpoint or 'http://localhost:11434'\n", False),
    ("py-localhost-url", "def f(s):\n    return f\"{'http://localhost:4200/' if s.DEBUG else s.BASE}mail\"\n", False),
    (
        "py-localhost-url",
        "def f(u):\n    if u is None:\n        return 'redis://localhost:6379'\n    return u\n",
        False,
    ),
    ("py-localhost-url", "H = settings.get('host', 'http://localhost:9200')\n", False),
    # The address itself is what the code calls.
    ("py-localhost-url", "BILLING_URL = 'http://localhost:8002/api'\n", True),
    ("py-localhost-url", "def f():\n    return requests.get('http://localhost:9000/x', timeout=3)\n", True),
    (
        "py-localhost-url",
        "def f(u):\n    if u is None:\n        raise ValueError\n    return 'http://localhost:1/' + u\n",
        True,
    ),
    # Whole tables: shaped querysets materialised, SQLAlchemy chains without a filter or limit.
    ("py-orm-unbounded-query", "def f():\n    return list(Customer.objects.order_by('name'))\n", True),
    (
        "py-orm-unbounded-query",
        "def f():\n    for o in Order.objects.select_related('c').order_by('-id'):\n        g(o)\n",
        True,
    ),
    ("py-orm-unbounded-query", "def f():\n    return [o for o in Order.objects.values_list('id', flat=True)]\n", True),
    (
        "py-orm-unbounded-query",
        "def f(db):\n    return db.query(Invoice).order_by(Invoice.created.desc()).all()\n",
        True,
    ),
    ("py-orm-unbounded-query", "def f(s):\n    return s.scalars(select(User).order_by(User.id)).all()\n", True),
    ("py-orm-unbounded-query", "def f(s):\n    return s.execute(select(User)).scalars().all()\n", True),
    # Flask-SQLAlchemy's Model.query.
    ("py-orm-unbounded-query", "def f():\n    return Order.query.all()\n", True),
    # Tables of configuration or definitions: a handful of rows an administrator creates.
    ("py-orm-unbounded-query", "def f():\n    return UserFields.query.all()\n", False),
    ("py-orm-unbounded-query", "def f():\n    return list(Channel.objects.all())\n", False),
    ("py-orm-unbounded-query", "def f(s):\n    return s.query(IngredientUnitModel).all()\n", False),
    ("py-orm-unbounded-query", "def f():\n    for s in UiSettings.objects.all():\n        s.save()\n", False),
    # A word inside a name is not the name's last word: `FieldVisit` rows grow with traffic.
    ("py-orm-unbounded-query", "def f():\n    return FieldVisit.query.all()\n", True),
    ("py-orm-unbounded-query", "def f(s):\n    return s.query(Invoice).order_by(Invoice.type).all()\n", True),
    ("py-orm-unbounded-query", "def f():\n    return Order.query.order_by(Order.id).all()\n", True),
    ("py-orm-unbounded-query", "def f():\n    return Order.query.limit(50).all()\n", False),
    ("py-orm-unbounded-query", "def f(c):\n    return Order.query.filter_by(customer=c).all()\n", False),
    (
        "py-orm-unbounded-query",
        "def f():\n    return list(Customer.objects.filter(active=True).order_by('name'))\n",
        False,
    ),
    (
        "py-orm-unbounded-query",
        "def f():\n    qs = Order.objects.order_by('-id')\n    return Paginator(qs, 50)\n",
        False,
    ),
    ("py-orm-unbounded-query", "def f():\n    return list(Order.objects.order_by('-id')[:20])\n", False),
    (
        "py-orm-unbounded-query",
        "def f(db):\n    return db.query(Invoice).filter(Invoice.open).order_by(Invoice.id).all()\n",
        False,
    ),
    ("py-orm-unbounded-query", "def f(s):\n    return s.scalars(select(User).where(User.id == uid)).all()\n", False),
    ("py-orm-unbounded-query", "def f(s):\n    return s.scalars(select(User).limit(10)).all()\n", False),
    # asyncio.gather over every item.
    ("py-gather-unbounded", "async def f(xs):\n    await asyncio.gather(*[send(x) for x in xs])\n", True),
    ("py-gather-unbounded", "async def f(xs):\n    await asyncio.gather(*map(send, xs))\n", True),
    (
        "py-gather-unbounded",
        "async def f(xs):\n    sem = asyncio.Semaphore(10)\n    await asyncio.gather(*(guarded(sem, x) for x in xs))\n",
        False,
    ),
    # Uploads taken into a variable, then read whole.
    ("py-read-whole-upload", "def f():\n    up = request.files.get('doc')\n    data = up.read()\n", True),
    ("py-read-whole-upload", "def f(request):\n    doc = request.FILES['doc']\n    return doc.read()\n", True),
    ("py-read-whole-upload", "def f(request):\n    return request.FILES['doc'].read()\n", True),
    ("py-read-whole-upload", "def f():\n    up = request.files.get('doc')\n    chunk = up.read(65536)\n", False),
    (
        "py-read-whole-upload",
        "def f():\n    up = request.files.get('doc')\n    with open(p) as fh:\n        fh.read()\n",
        False,
    ),
]


@pytest.mark.parametrize(("rule", "code", "flagged"), ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)])
def test_rule_on_idiom(rule: str, code: str, flagged: bool) -> None:
    found = rule_lines(review("app/service.py", code), rule)
    assert bool(found) is flagged, f"{rule} {'missed' if flagged else 'flagged'}:\n{code}"


def test_module_cache_is_reported_at_its_definition_when_the_diff_adds_it() -> None:
    code = "_rates = {}\n\ndef rate(k):\n    if k not in _rates:\n        _rates[k] = fetch(k)\n    return _rates[k]\n"
    assert rule_lines(review("app/fx.py", code), "py-unbounded-module-cache") == [1]


def test_module_cache_defined_earlier_is_reported_at_the_added_write() -> None:
    code = "_rates = {}\n\ndef rate(k):\n    if k not in _rates:\n        _rates[k] = fetch(k)\n    return _rates[k]\n"
    assert rule_lines(review("app/fx.py", code, added={4, 5}), "py-unbounded-module-cache") == [5]


@pytest.mark.parametrize(
    ("url", "severity"),
    [
        ("postgres://shop:shop@localhost:5432/shop", "low"),
        ("amqp://guest:guest@rabbit:5672//", "low"),
        ("postgres://app:Xk29fjq8Lw@localhost:5432/app", "low"),
        ("postgres://app:Xk29fjq8Lw@db.prod.internal:5432/app", "critical"),
    ],
)
def test_url_credentials_by_how_real_they_are(url: str, severity: str) -> None:
    (finding,) = [f for f in review("app/db.py", f"DSN = '{url}'\n") if f.rule == "hardcoded-secret"]
    assert finding.severity == severity
    assert "Xk29fjq8Lw" not in finding.body + finding.title


def test_placeholder_url_credentials_are_not_reported() -> None:
    assert not rule_lines(review("app/db.py", "DSN = 'https://user:pass@example.com/'\n"), "hardcoded-secret")


def test_a_commented_out_development_url_is_not_reported_but_a_commented_real_one_is() -> None:
    dev = "# default='postgres://shop_ro:shop@localhost:5432/shop',\n"
    assert not rule_lines(review("app/settings.py", dev), "hardcoded-secret")
    # A real password is leaked by being in the repository, comment or not.
    real = "# DSN = 'postgres://app:Xk29fjq8Lw@db.prod.internal:5432/app'\n"
    assert rule_lines(review("app/settings.py", real), "hardcoded-secret") == [1]


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        # "Not a valid Payment id" is the answer a filter wants.
        (
            '    try:\n        return from_global_id_or_error(v, only_type="Payment")[1]\n    except Exception:\n'
            "        return None\n",
            False,
        ),
        (
            "    try:\n        payload = jwt_decode(token)\n        return payload.get('owner') == owner\n"
            "    except Exception:\n        return False\n",
            False,
        ),
        # A write behind the parse is a failure to hear about, not an invalid value.
        (
            "    try:\n        return json.loads(requests.post(url, timeout=5).text)\n    except Exception:\n"
            "        return None\n",
            True,
        ),
    ],
    ids=["parse-or-none", "verify-or-false", "fetch-then-parse"],
)
def test_a_parse_that_answers_not_valid_is_not_a_swallowed_error(body: str, flagged: bool) -> None:
    found = rule_lines(review("app/filters.py", "def read(v, token, owner, url):\n" + body), "py-swallowed-exception")
    assert bool(found) is flagged, found
