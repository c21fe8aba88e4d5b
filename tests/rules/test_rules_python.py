"""Each Python rule on code it must flag and on similar code it must leave alone."""

from __future__ import annotations

import pytest

from tests.rules.conftest import review, rule_lines, rules_with_examples

# (rule id, code that must be flagged, similar code that must not be)
CASES = [
    (
        "py-redis-incr-then-expire",
        "def hit(r, key):\n    n = r.incr(key)\n    r.expire(key, 60)\n    return n\n",
        "def hit(r, key):\n    p = r.pipeline()\n    p.incr(key)\n    p.expire(key, 60)\n    return p.execute()[0]\n",
    ),
    (
        "py-requests-without-timeout",
        "import requests\nr = requests.post(url, json=body)\n",
        "import requests\nr = requests.post(url, json=body, timeout=(3, 10))\n",
    ),
    (
        "py-urlopen-without-timeout",
        "from urllib.request import urlopen\nbody = urlopen(url).read()\n",
        "from urllib.request import urlopen\nbody = urlopen(url, timeout=5).read()\n",
    ),
    (
        "py-aiohttp-session-without-timeout",
        "import aiohttp\nasync def f():\n    async with aiohttp.ClientSession() as s:\n        pass\n",
        "import aiohttp\nasync def f():\n    async with aiohttp.ClientSession(timeout=T) as s:\n        pass\n",
    ),
    (
        "py-http-timeout-disabled",
        "r = http_client.get(url, timeout=None)\n",
        "item = work_queue.get(timeout=None)\n",
    ),
    (
        "py-retry-without-backoff",
        "def f():\n    for attempt in range(5):\n        try:\n            return call()\n"
        "        except OSError:\n            continue\n",
        "def f():\n    for attempt in range(5):\n        try:\n            return call()\n"
        "        except OSError:\n            time.sleep(2 ** attempt)\n",
    ),
    (
        "py-swallowed-exception",
        "try:\n    sync()\nexcept Exception:\n    pass\n",
        "try:\n    sync()\nexcept Exception:\n    logger.exception('sync failed')\n",
    ),
    ("py-yaml-unsafe-load", "cfg = yaml.load(text)\n", "cfg = yaml.load(text, Loader=yaml.SafeLoader)\n"),
    (
        "py-tls-verify-disabled",
        "r = requests.get(url, verify=False, timeout=5)\n",
        "r = requests.get(url, verify=CA_BUNDLE, timeout=5)\n",
    ),
    (
        "py-jwt-verification-disabled",
        "claims = jwt.decode(token, options={'verify_signature': False})\n",
        "claims = jwt.decode(token, key, algorithms=['RS256'])\n",
    ),
    ("py-debug-server", "app.run(host='0.0.0.0', debug=True)\n", "app.run(host='0.0.0.0', debug=False)\n"),
    # Bound to loopback by name: only a developer on the same machine reaches the debugger.
    ("py-debug-server", "app.run(debug=True, port=4000)\n", "app.run(debug=True, host='127.0.0.1', port=4000)\n"),
    ("py-debug-setting", "DEBUG = True\n", "DEBUG = os.environ.get('DEBUG') == '1'\n"),
    (
        "py-localhost-url",
        "PAYMENTS = 'http://localhost:8080/charge'\n",
        "PAYMENTS = os.environ.get('PAYMENTS_URL', 'http://localhost:8080/charge')\n",
    ),
    (
        "py-test-api-key",
        "stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'\n",
        "stripe.api_key = os.environ['KEY']\n",
    ),
    ("py-local-file-path", "MODEL = '/Users/alice/models/m.bin'\n", "MODEL = '/opt/app/models/m.bin'\n"),
    (
        "py-read-modify-write",
        "def buy(pk):\n    p = Product.objects.get(pk=pk)\n    if p.stock > 0:\n"
        "        p.stock -= 1\n        p.save()\n",
        "def buy(pk):\n    p = Product.objects.select_for_update().get(pk=pk)\n    if p.stock > 0:\n"
        "        p.stock -= 1\n        p.save()\n",
    ),
    (
        "py-global-state-in-handler",
        "SEEN = []\n@app.route('/hit')\ndef hit():\n    SEEN.append(request.remote_addr)\n",
        "SEEN = []\ndef load():\n    SEEN.append(1)\n",
    ),
    (
        "py-unbounded-background-work",
        "async def handle(request):\n    asyncio.create_task(notify(request))\n",
        "async def handle(request):\n    async with TASKS:\n        await notify(request)\n",
    ),
    (
        "py-unbounded-lru-cache",
        "@lru_cache(maxsize=None)\ndef price(sku):\n    return 1\n",
        "@lru_cache(maxsize=1024)\ndef price(sku):\n    return 1\n",
    ),
    (
        "py-unbounded-module-cache",
        "_price_cache = {}\ndef price(sku):\n    _price_cache[sku] = fetch(sku)\n",
        "_price_cache = {}\ndef price(sku):\n    _price_cache[sku] = fetch(sku)\n"
        "    if len(_price_cache) > 100:\n        _price_cache.clear()\n",
    ),
    (
        "py-orm-unbounded-query",
        "def export():\n    return list(Order.objects.all())\n",
        "def export():\n    return list(Order.objects.all()[:100])\n",
    ),
    ("py-select-star-without-limit", "Q = 'SELECT * FROM orders'\n", "Q = 'SELECT * FROM orders LIMIT 100'\n"),
    (
        "py-smtp-without-timeout",
        "import smtplib\ndef send(m):\n    with smtplib.SMTP(HOST, 587) as s:\n        s.send_message(m)\n",
        "import smtplib\ndef send(m):\n    with smtplib.SMTP(HOST, 587, timeout=10) as s:\n        s.send_message(m)\n",
    ),
    (
        "py-feedparser-url-without-timeout",
        "import feedparser\ndef items(self):\n    return feedparser.parse(self.config['feed_url']).entries\n",
        "import feedparser\ndef items(r):\n    return feedparser.parse(r.content).entries\n",
    ),
    # The outer SELECT of a wrapped subquery returns what the inner one (sliced, limited) already bounds.
    (
        "py-select-star-without-limit",
        "Q = f'SELECT * FROM {table} WHERE a = %s'\n",
        "Q = f'SELECT * FROM ({inner_sql}) t WHERE rank = 1'\n",
    ),
    (
        "py-query-in-loop",
        "def f(ids):\n    for i in ids:\n        names.append(User.objects.get(pk=i).name)\n",
        "def f(ids):\n    users = User.objects.filter(pk__in=ids)\n    for u in users:\n        names.append(u.name)\n",
    ),
    (
        "py-read-whole-upload",
        "data = request.files['upload'].read()\n",
        "for chunk in iter(lambda: stream.read(65536), b''):\n    out.write(chunk)\n",
    ),
    (
        "py-blocking-call-in-async",
        "async def handler():\n    time.sleep(1)\n",
        "async def handler():\n    await asyncio.sleep(1)\n",
    ),
    (
        "py-requests-indirect-without-timeout",
        "import requests\ns = requests.Session()\nr = s.get(url)\n",
        "import requests\ns = requests.Session()\nr = s.get(url, timeout=5)\n",
    ),
    (
        "py-thread-shared-write",
        "totals = {}\ndef work(k):\n    totals[k] = totals.get(k, 0) + 1\npool.map(work, keys)\n",
        "totals = {}\ndef work(k):\n    with lock:\n        totals[k] = totals.get(k, 0) + 1\npool.map(work, keys)\n",
    ),
    (
        "py-gather-unbounded",
        "async def f(items):\n    await asyncio.gather(*(send(i) for i in items))\n",
        "async def f():\n    await asyncio.gather(load_user(), load_cart())\n",
    ),
    (
        "py-route-missing-auth",
        "@bp.get('/a')\n@login_required\ndef a():\n    pass\n@bp.get('/b')\n@login_required\ndef b():\n    pass\n"
        "@bp.get('/c')\ndef c():\n    pass\n",
        "@bp.get('/a')\n@login_required\ndef a():\n    pass\n@bp.get('/b')\n@login_required\ndef b():\n    pass\n"
        "@bp.get('/c')\n@login_required\ndef c():\n    pass\n",
    ),
    (
        "py-file-check-then-use",
        "@app.post('/x')\ndef f():\n    if os.path.exists(p):\n        os.remove(p)\n",
        "@app.post('/x')\ndef f():\n    try:\n        os.remove(p)\n    except FileNotFoundError:\n        pass\n",
    ),
    (
        "hardcoded-secret",
        "GITHUB_TOKEN = 'ghp_" + "R2d2C3p0" * 4 + "abcd'\n",
        "GITHUB_TOKEN = os.environ['GITHUB_TOKEN']\n",
    ),
]


@pytest.mark.parametrize(("rule", "bad", "good"), CASES, ids=[c[0] for c in CASES])
def test_rule_flags_bad_code_and_not_similar_good_code(rule: str, bad: str, good: str) -> None:
    assert rule_lines(review("app/service.py", bad), rule), f"{rule} missed:\n{bad}"
    assert not rule_lines(review("app/service.py", good), rule), f"{rule} flagged:\n{good}"


def test_every_python_rule_has_a_case() -> None:
    from bot.rules.catalog import all_rules
    from bot.rules.flow import FLOW_RULES

    # Flow rules carry their cases in tests/rules/examples and tests/rules/test_flow.py.
    python_rules = {
        r.id for r in all_rules() if ("python" in r.languages or r.id == "hardcoded-secret") and r.id not in FLOW_RULES
    }
    # A rule whose evidence is its annotated example file needs no case here.
    assert python_rules - rules_with_examples("python") <= {c[0] for c in CASES}


def test_python_rules_cover_all_six_categories() -> None:
    from bot.review.models import CATEGORIES
    from bot.rules.catalog import all_rules

    python_rules = [r for r in all_rules() if "python" in r.languages]
    assert len(python_rules) >= 15
    assert {r.category for r in python_rules} == set(CATEGORIES)


def test_requests_fix_is_a_suggestion_for_the_whole_call() -> None:
    (finding,) = review("app.py", "import requests\nr = requests.get(url)\n")
    assert finding.suggestion == "r = requests.get(url, timeout=10)"
    assert (finding.line, finding.end_line) == (2, None)


def test_requests_fix_without_arguments_leaves_no_dangling_comma() -> None:
    (finding,) = review("app.py", "requests.get()\n")
    assert finding.suggestion == "requests.get(timeout=10)"


def test_time_sleep_in_async_suggests_asyncio_sleep() -> None:
    (finding,) = review("app.py", "async def f():\n    time.sleep(0.5)\n")
    assert finding.suggestion == "    await asyncio.sleep(0.5)"


def test_sql_with_only_constants_interpolated_is_not_flagged() -> None:
    code = "def f(cur, uid):\n    cur.execute(f'SELECT id FROM {TABLE} WHERE id = %s', (uid,))\n"
    assert not rule_lines(review("app.py", code), "py-sql-built-from-strings")


def test_sql_by_percent_format_and_concat_are_flagged() -> None:
    code = (
        "def f(cur, uid, name):\n"
        "    cur.execute('SELECT a FROM t WHERE id = %s' % uid)\n"
        "    cur.execute('DELETE FROM t WHERE name = \\'' + name + '\\'')\n"
        "    cur.execute('UPDATE t SET a = {} WHERE id = 1'.format(name))\n"
    )
    assert rule_lines(review("app.py", code), "py-sql-built-from-strings") == [2, 3, 4]


def test_bare_except_returning_none_is_flagged_but_specific_exceptions_are_not() -> None:
    code = "try:\n    order.save()\nexcept:\n    return None\ntry:\n    import ujson\nexcept ImportError:\n    pass\n"
    assert rule_lines(review("app.py", code), "py-swallowed-exception") == [3]


def test_a_handler_whose_comment_says_why_is_not_flagged() -> None:
    said = (
        "try:\n    send(chat)\nexcept TransportError:\n"
        "    # Telegram retries the webhook on anything but 200: drop it.\n    pass\n"
    )
    silent = "try:\n    send(chat)\nexcept TransportError:\n    pass\n"
    assert rule_lines(review("app.py", said), "py-swallowed-exception") == []
    assert rule_lines(review("app.py", silent), "py-swallowed-exception") == [3]


def test_a_narrow_handler_is_described_as_what_it_catches_not_as_every_exception() -> None:
    narrow = review("app.py", "try:\n    send(chat)\nexcept (TransportError, OSError):\n    pass\n")
    broad = review("app.py", "try:\n    send(chat)\nexcept Exception:\n    pass\n")
    (found,) = [f for f in narrow if f.rule == "py-swallowed-exception"]
    assert "drops a `TransportError`" in found.body and "every exception" not in found.body
    assert ["every exception" in f.body for f in broad if f.rule == "py-swallowed-exception"] == [True]


def test_a_swallowed_error_that_costs_only_a_diagnostic_is_not_flagged() -> None:
    check = (
        "@register(Tags.database)\ndef check_version(app_configs, **kwargs):\n    warnings = []\n"
        "    try:\n        warnings += probe()\n    except Exception:\n        pass\n    return warnings\n"
    )
    debug = "if settings.DEBUG:\n    try:\n        cache.clear()\n    except Exception:\n        pass\n"
    served = "if settings.FEATURE:\n    try:\n        cache.clear()\n    except Exception:\n        pass\n"
    assert not rule_lines(review("app/checks.py", check), "py-swallowed-exception")
    assert not rule_lines(review("app/apps.py", debug), "py-swallowed-exception")
    assert rule_lines(review("app/apps.py", served), "py-swallowed-exception") == [4]


def test_loop_over_items_with_continue_is_not_a_retry() -> None:
    code = "for row in rows:\n    try:\n        save(row)\n        break\n    except ValueError:\n        continue\n"
    assert not rule_lines(review("app.py", code), "py-retry-without-backoff")


def test_tenacity_retry_without_wait_is_flagged() -> None:
    code = "@retry(stop=stop_after_attempt(5))\ndef call():\n    pass\n"
    assert rule_lines(review("app.py", code), "py-retry-without-backoff") == [1]


def test_a_loop_that_retries_a_unique_value_clash_with_a_new_slug_is_not_a_retry_without_backoff() -> None:
    code = (
        "for i in range(10):\n    try:\n        return repo.create(slug=f'{base}-{i}')\n"
        "    except IntegrityError:\n        continue\n"
    )
    assert not rule_lines(review("app.py", code), "py-retry-without-backoff")
    dependency = code.replace("IntegrityError", "ConnectionError")
    assert rule_lines(review("app.py", dependency), "py-retry-without-backoff") == [1]


def test_a_task_created_once_at_start_up_is_not_per_request() -> None:
    startup = "@app.on_event('startup')\nasync def start_scheduler():\n    asyncio.create_task(run_daily())\n"
    handler = "async def handle(msg):\n    asyncio.create_task(work(msg))\n"
    assert not rule_lines(review("app.py", startup), "py-unbounded-background-work")
    assert rule_lines(review("app.py", handler), "py-unbounded-background-work") == [2]


def test_thread_started_per_request_is_flagged() -> None:
    code = "@app.post('/jobs')\ndef create():\n    threading.Thread(target=run).start()\n"
    assert rule_lines(review("app.py", code), "py-unbounded-background-work") == [3]


def test_kept_task_reference_is_not_fire_and_forget() -> None:
    code = "async def handle():\n    task = asyncio.create_task(work())\n    await task\n"
    assert not rule_lines(review("app.py", code), "py-unbounded-background-work")


def test_global_written_under_a_lock_is_not_flagged() -> None:
    code = "HITS = {}\nasync def hit(k):\n    async with HITS_LOCK:\n        HITS[k] = 1\n"
    assert not rule_lines(review("app.py", code), "py-global-state-in-handler")


def test_global_statement_in_coroutine_is_flagged() -> None:
    code = "COUNT = 0\nasync def hit():\n    global COUNT\n    COUNT += 1\n"
    assert rule_lines(review("app.py", code), "py-global-state-in-handler") == [4]


def test_counted_query_is_not_unbounded() -> None:
    code = "n = Order.objects.all().count()\nrows = session.query(Order).all()\n"
    assert rule_lines(review("app.py", code), "py-orm-unbounded-query") == [2]


def test_unbounded_cache_on_function_without_parameters_is_fine() -> None:
    code = "@functools.cache\ndef settings():\n    return load()\n@cache\ndef get(self):\n    return 1\n"
    assert not rule_lines(review("app.py", code), "py-unbounded-lru-cache")


def test_unbounded_cache_keyed_by_classes_is_fine_and_by_values_is_not() -> None:
    by_class = "@cache\ndef subclass_for(filter_class):\n    return type('X', (filter_class,), {})\n"
    by_value = "@cache\ndef price_for(product_id, currency):\n    return fetch(product_id, currency)\n"
    assert not rule_lines(review("app.py", by_class), "py-unbounded-lru-cache")
    assert rule_lines(review("app.py", by_value), "py-unbounded-lru-cache") == [1]


def test_windows_user_path_is_flagged() -> None:
    assert rule_lines(review("app.py", "P = r'C:\\Users\\bob\\data.csv'\n"), "py-local-file-path") == [1]


def test_yaml_load_with_full_loader_is_flagged_and_safe_load_is_not() -> None:
    code = "a = yaml.load(t, Loader=yaml.FullLoader)\nb = yaml.safe_load(t)\nc = yaml.unsafe_load(t)\n"
    assert rule_lines(review("app.py", code), "py-yaml-unsafe-load") == [1, 3]


def test_module_level_debug_in_class_is_not_flagged() -> None:
    code = "class Config:\n    DEBUG = True\n"
    assert not rule_lines(review("app.py", code), "py-debug-setting")
