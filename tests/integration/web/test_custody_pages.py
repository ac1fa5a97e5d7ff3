"""The exhibit pages as a browser uses them: streamed upload, hand-over and receipt by two users
signing with their own keys, Verify, broken seals in red, gaps, CSRF and clean refusals."""

from __future__ import annotations

import io
import json
import re
import stat
import typing

import pytest
from fastapi.testclient import TestClient

from athar.accounts.actor_keys import SECRET_FILE, add_user, key_path
from athar.accounts.users import Accounts
from athar.app import create_app
from athar.custody.service import CustodyService
from athar.log.identity import IdentityView
from athar.workspace import Workspace

PASSWORDS = {"amal": "amal's long password", "badr": "badr's long password",
             "olga": "olga's long password"}


@pytest.fixture
def site(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    app = create_app(ws)
    with TestClient(app) as a, TestClient(app) as b:
        add_user(ws, "amal", ["investigator"], PASSWORDS["amal"])
        add_user(ws, "badr", ["custodian"], PASSWORDS["badr"])
        add_user(ws, "olga", ["observer"], PASSWORDS["olga"])
        _login(a, "amal")
        _login(b, "badr")
        yield ws, a, b


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(client: TestClient, name: str) -> None:
    page = client.get("/login")
    r = client.post("/login", data={"name": name, "password": PASSWORDS[name],
                                    "csrf_token": _csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text


def _token(client: TestClient) -> str:
    return _csrf(client.get("/exhibits").text)


def _event(client: TestClient, code: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(f"/exhibits/{code}/events", data={"csrf_token": _token(client), **data},
                       follow_redirects=False)


def _register_sample(a: TestClient, code: str = "S-1", at: str = "2024-05-01T09:00") -> None:
    r = a.post("/exhibits/physical", data={
        "csrf_token": _token(a), "code": code, "description": "soil near the crater",
        "container": "glass jar", "quantity": "50 g", "at": at},
        follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/exhibits/{code}?new=1", r.text


def _in_english_and_arabic(label, codes):  # type: ignore[no-untyped-def]
    """``label(code)`` for every code, once in English and once in Arabic; each Arabic
    label must differ from the English one and be written in Arabic."""
    from athar.web import i18n

    try:
        i18n.activate("en")
        english = {code: label(code) for code in codes}
        i18n.activate("ar")
        arabic = {code: label(code) for code in codes}
    finally:
        i18n.activate("en")
    for code in codes:
        assert arabic[code] != english[code] and re.search("[\u0600-\u06ff]", arabic[code]), code
    return english, arabic


def test_users_get_their_own_registered_actor_keys(site) -> None:
    ws, _, _ = site
    identity = IdentityView(ws.log())
    amal, badr = identity.actor("amal"), identity.actor("badr")
    assert amal.roles == ("investigator",) and badr.roles == ("custodian",)
    assert amal.actor_type == "person" and amal.keys != badr.keys
    assert identity.actor("olga") is None  # an observer signs nothing
    path = key_path(ws, "amal")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((ws.home / SECRET_FILE).stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"athar-key/1\nvkey: " + amal.keys[0].encode())
    assert b"ENCRYPTED PRIVATE KEY" in path.read_bytes()


def test_upload_streams_through_the_page_route(site) -> None:
    ws, a, _ = site
    page = a.get("/exhibits")
    for element in ("upload-form", "upload-file", "upload-progress", "upload-submit",
                    "physical-form", "nav-exhibits"):
        assert f'id="{element}"' in page.text
    chunks = (bytes([i]) * 65536 for i in range(32))
    r = a.post("/exhibits/upload?name=scene.jpg&code=F-1&kind=digital", content=chunks,
               headers={"content-type": "application/octet-stream", "accept": "application/json",
                        "x-csrf-token": _csrf(page.text)})
    assert r.status_code == 200, r.text
    assert r.json()["url"] == "/exhibits/F-1?new=1"
    ex = CustodyService.for_workspace(ws).exhibit("F-1")
    assert ex.size == 32 * 65536
    author = ws.log().entry(ex.registered_index)
    assert IdentityView(ws.log()).actor_for_vkey(_author(author)) == "amal"
    # the plain form (no script) posts multipart and is redirected to the exhibit
    files = {"file": ("readings.csv", io.BytesIO(b"device,time,quantity,unit,value\n"
                                                 b"d1,2024-05-01T10:00:00Z,sarin,ppb,4\n"), "text/csv")}
    r = a.post("/exhibits/upload", data={"csrf_token": _csrf(page.text), "kind": "sensor",
                                         "code": "D-1"}, files=files, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/exhibits/D-1?new=1", r.text
    listing = a.get("/exhibits").text
    assert 'id="exhibit-row-F-1"' in listing and 'id="exhibit-row-D-1"' in listing
    assert "scene.jpg" not in listing and "readings.csv" not in listing


def test_upload_without_csrf_is_refused_and_leaves_nothing(site) -> None:
    ws, a, _ = site
    size = ws.log().size()
    r = a.post("/exhibits/upload?code=F-2", content=b"x" * 1000,
               headers={"content-type": "application/octet-stream", "accept": "application/json"})
    assert r.status_code == 403 and r.json()["error"]["details"]["reason"] == "csrf"
    assert ws.log().size() == size
    assert [p for p in ws.blob_dir.rglob("*") if p.is_file()] == []


def _author(data: bytes) -> str:
    import json

    return str(json.loads(data)["author"])


def test_hand_over_and_receipt_are_signed_by_giver_and_receiver(site) -> None:
    ws, a, b = site
    _register_sample(a)
    assert _event(a, "S-1", action="sealed", seals="A-1, A-2", at="2024-05-01T10:00").status_code == 303
    r = _event(a, "S-1", action="handed_over", to="badr", at="2024-05-01T11:00",
               transport="car, secret route")
    assert r.status_code == 303, r.text
    page = b.get("/exhibits/S-1").text
    assert 'id="pending-handover"' in page and 'id="receive-form"' in page
    assert 'id="flag-pending"' in page
    r = b.post("/exhibits/S-1/events", data={"csrf_token": _csrf(page), "action": "received",
                                             "at": "2024-05-01T12:00"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    timeline = CustodyService.for_workspace(ws).timeline("S-1")
    handed = next(e for e in timeline if e.action == "handed_over")
    received = next(e for e in timeline if e.action == "received")
    assert handed.author != received.author
    identity = IdentityView(ws.log())
    assert handed.author in identity.actor("amal").keys
    assert received.author in identity.actor("badr").keys
    assert received.body["from"] == "amal"
    assert CustodyService.for_workspace(ws).state("S-1").holder == "badr"
    page = b.get("/exhibits/S-1").text
    assert 'id="pending-handover"' not in page and 'data-holder="badr"' in page
    assert 'class="transfer" data-from="amal" data-to="badr"' in page
    assert "secret route" not in page  # committed, never shown in clear

    r = b.get("/exhibits/S-1/verify")
    assert r.status_code == 200
    verdict = re.search(r'<p id="verify-verdict" class="verdict (\w+)" data-intact="(\w+)"', r.text)
    assert verdict.groups() == ("intact", "true")
    assert "Intact: every check passed." in r.text and 'id="verify-findings"' not in r.text


def test_non_holder_hand_over_is_refused_cleanly(site) -> None:
    ws, a, b = site
    _register_sample(a)
    size = ws.log().size()
    page = b.get("/exhibits/S-1").text
    assert 'id="not-holder-notice"' in page
    r = _event(b, "S-1", action="handed_over", to="amal")
    assert r.status_code == 409
    assert 'id="event-error"' in r.text and "only the current holder (amal)" in r.text
    assert 'id="custody-chain"' in r.text  # the page, not a bare error
    r = _event(b, "S-1", action="received")
    assert r.status_code == 409 and "was not handed over" in r.text
    assert ws.log().size() == size


def test_csrf_and_roles_on_the_forms(site, tmp_path) -> None:
    ws, a, _ = site
    _register_sample(a)
    size = ws.log().size()
    for token in ("", "forged"):
        r = a.post("/exhibits/S-1/events", data={"csrf_token": token, "action": "note",
                                                 "text": "x"}, follow_redirects=False)
        assert r.status_code == 403 and r.json()["error"]["details"]["reason"] == "csrf"
        r = a.post("/exhibits/physical", data={"csrf_token": token, "code": "S-9"})
        assert r.status_code == 403
    assert ws.log().size() == size
    obs = TestClient(a.app)
    _login(obs, "olga")
    page = obs.get("/exhibits/S-1")
    assert page.status_code == 200 and 'id="event-form"' not in page.text
    assert 'id="upload-form"' not in obs.get("/exhibits").text
    r = _event(obs, "S-1", action="note", text="hello")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert obs.get("/exhibits/S-1/verify").status_code == 200
    assert ws.log().size() == size


def test_broken_seal_is_red_and_verify_lists_findings(site) -> None:
    ws, a, b = site
    _register_sample(a)
    _event(a, "S-1", action="sealed", seals="A-1", at="2024-05-01T10:00")
    _event(a, "S-1", action="handed_over", to="badr", at="2024-05-01T11:00")
    page = b.get("/exhibits/S-1").text
    b.post("/exhibits/S-1/events", data={"csrf_token": _csrf(page), "action": "received",
                                         "at": "2024-05-05T12:00"})  # four days later: a gap
    r = _event(b, "S-1", action="seal_checked", seals="A-1", status="broken",
               at="2024-05-05T12:30")
    assert r.status_code == 303, r.text
    page = b.get("/exhibits/S-1").text
    assert '<span class="flag bad" id="flag-broken-seal">' in page
    assert re.search(r'<li class="event ev-seal_checked broken[^"]*" id="event-\d+"', page)
    assert '<li class="gap"' in page and 'id="flag-gaps"' in page
    listing = b.get("/exhibits").text
    assert 'id="exhibit-row-S-1" class="bad-row"' in listing and '<span class="flag bad">' in listing
    r = b.get("/exhibits/S-1/verify")
    assert 'class="verdict intact" data-intact="true"' in r.text
    assert "Intact, with findings to review." in r.text
    codes = re.findall(r'<li class="finding (\w+)" data-code="(\w+)"', r.text)
    assert ("warning", "broken_seal") in codes and ("warning", "custody_gap") in codes


def test_verify_reports_a_tampered_file(site) -> None:
    ws, a, _ = site
    page = a.get("/exhibits")
    r = a.post("/exhibits/upload?code=F-9", content=b"original bytes" * 100,
               headers={"content-type": "application/octet-stream", "accept": "application/json",
                        "x-csrf-token": _csrf(page.text)})
    assert r.status_code == 200
    blob = next(p for p in ws.blob_dir.rglob("*") if p.is_file())
    blob.chmod(0o644)
    blob.write_bytes(b"altered bytes" * 100)
    r = a.get("/exhibits/F-9/verify")
    assert 'class="verdict failed" data-intact="false"' in r.text
    assert 'data-code="blob_mismatch"' in r.text


def test_arabic_exhibit_page(site) -> None:
    _, a, _ = site
    _register_sample(a)
    a.cookies.set("athar_lang", "ar")
    page = a.get("/exhibits/S-1").text
    assert 'dir="rtl"' in page and "سلسلة الحيازة" in page and "تحقّق" in page
    assert "المعروضات" in a.get("/exhibits").text


def test_accounts_made_directly_get_a_key_on_first_action(site) -> None:
    ws, a, _ = site
    Accounts(ws.log().db).add("kareem", ["lab"], "kareem's long password")
    PASSWORDS["kareem"] = "kareem's long password"
    c = TestClient(a.app)
    _login(c, "kareem")
    r = c.post("/exhibits/physical", data={"csrf_token": _token(c), "code": "L-1"},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    assert IdentityView(ws.log()).actor("kareem").roles == ("lab",)
    ex = CustodyService.for_workspace(ws).exhibit("L-1")
    assert _author(ws.log().entry(ex.registered_index)) in IdentityView(ws.log()).actor("kareem").keys


def test_user_name_taken_by_a_foreign_actor_is_refused(site) -> None:
    from athar.errors import ConfigError
    from athar.ledger.entry import Entry
    from athar.ledger.note import Signer

    ws, _, _ = site
    other = Signer.generate("lab-x")
    body = {"actor_id": "lab-x", "name": "Lab X", "actor_type": "lab", "vkey": other.vkey,
            "roles": ["lab"]}
    ws.log().append(Entry.create("actor.registered", body, ws.admin_signer))
    with pytest.raises(ConfigError, match="already an actor"):
        add_user(ws, "lab-x", ["lab"], "a long password x")
    assert Accounts(ws.log().db).get("lab-x") is None


def test_the_examples_story_through_the_pages(site) -> None:
    """examples/exhibits/README.md, clicked through: photo, readings, sample, three holders, lab."""

    from tests.conftest import ROOT

    ws, a, b = site
    examples = ROOT / "examples" / "exhibits"
    add_user(ws, "lab-a", ["lab"], "lab-a's long password")
    PASSWORDS["lab-a"] = "lab-a's long password"
    lab = TestClient(a.app)
    _login(lab, "lab-a")

    def upload(client: TestClient, name: str, **query: str) -> None:
        r = client.post("/exhibits/upload", params={"name": name, **query},
                        content=(examples / name).read_bytes(),
                        headers={"content-type": "application/octet-stream",
                                 "accept": "application/json", "x-csrf-token": _token(client)})
        assert r.status_code == 200, r.text

    def event(client: TestClient, code: str, **data: str) -> None:
        r = _event(client, code, **data)
        assert r.status_code == 303, re.findall(r'id="event-error">([^<]*)', r.text)

    upload(a, "scene-photo.jpg", code="PH-ARIHA-1")
    page = a.get("/exhibits/PH-ARIHA-1").text
    assert "2019:10:03 07:42:10" in page and "35.8125" not in page  # time public, GPS committed
    upload(a, "detector-readings.csv", code="DET-ARIHA-1", kind="sensor")
    assert "max chlorine = 18.2 ppm" in a.get("/exhibits/DET-ARIHA-1").text
    _register_sample(a, "S-ARIHA-01", at="")
    event(a, "S-ARIHA-01", action="sealed", seals="A-0001")
    event(a, "S-ARIHA-01", action="handed_over", to="badr")
    event(b, "S-ARIHA-01", action="received")
    event(b, "S-ARIHA-01", action="seal_checked", seals="A-0001", status="intact")
    event(b, "S-ARIHA-01", action="handed_over", to="lab-a")
    event(lab, "S-ARIHA-01", action="received")
    event(lab, "S-ARIHA-01", action="seal_checked", status="intact")
    r = _event(lab, "S-ARIHA-01", action="opened", reason="analysis")
    assert "say whether the seals were intact or broken" in r.text
    event(lab, "S-ARIHA-01", action="opened", reason="analysis", seal_status="intact")
    event(lab, "S-ARIHA-01", action="split", portions="S-ARIHA-01.1, S-ARIHA-01.2:20 g")
    upload(lab, "lab-result.csv", code="RES-ARIHA-1", parent="S-ARIHA-01.1")
    event(lab, "S-ARIHA-01.1", action="opened")  # not sealed: its seal status is none
    event(lab, "S-ARIHA-01.1", action="analysed", result="RES-ARIHA-1", method="GC-MS")
    for code in ("S-ARIHA-01", "S-ARIHA-01.1", "PH-ARIHA-1", "DET-ARIHA-1", "RES-ARIHA-1"):
        r = a.get(f"/exhibits/{code}/verify")
        assert 'data-intact="true"' in r.text and "Intact: every check passed." in r.text, code
    holders = re.findall(r'<li class="segment[^"]*" data-holder="([^"]*)"',
                         a.get("/exhibits/S-ARIHA-01").text)
    assert holders == ["amal", "badr", "lab-a"]


def test_example_files_are_rebuilt_identically(tmp_path) -> None:
    import runpy

    from tests.conftest import ROOT

    examples = ROOT / "examples" / "exhibits"
    runpy.run_path(str(examples / "make_examples.py"), run_name="examples")["main"](tmp_path)
    for name in ("scene-photo.jpg", "detector-readings.csv", "lab-result.csv"):
        assert (tmp_path / name).read_bytes() == (examples / name).read_bytes(), name


def test_chain_layout_of_returns_and_unverified_custody() -> None:
    from datetime import timedelta

    from athar.custody.models import CustodyEvent
    from athar.web.pages_custody import build_chain

    def ev(i: int, action: str, who: str, at: str, **body: object) -> CustodyEvent:
        return CustodyEvent(i, f"{i:064x}", "custody." + action, "X", None, at, who,
                            {"exhibit": "X", "at": at, **body})

    events = [ev(1, "registered", "k-amal", "2024-01-01T00:00:00Z"),
              ev(2, "handed_over", "k-amal", "2024-01-01T01:00:00Z", to="badr"),
              ev(3, "note", "k-amal", "2024-01-01T01:30:00Z"),
              ev(4, "received", "k-badr", "2024-01-01T02:00:00Z", **{"from": "amal"}),
              ev(5, "returned", "k-badr", "2024-01-09T02:00:00Z"),
              ev(6, "received_from_unverified_party", "k-amal", "2024-01-10T02:00:00Z"),
              ev(7, "seal_checked", "k-amal", "2024-01-10T03:00:00Z", seals=["Z"],
                 status="broken")]
    chain = build_chain(events, {"k-amal": "amal", "k-badr": "badr"}, timedelta(hours=48))
    shape = [(i.type, getattr(i, "holder", None) or getattr(i, "receiver", None),
              [n.event.index for n in getattr(i, "nodes", [])]) for i in chain.items]
    assert shape == [("segment", "amal", [1]), ("transfer", "badr", []),
                     ("segment", "badr", [5]), ("segment", None, []),
                     ("segment", "amal", [6, 7])]
    transfer = chain.items[1]
    assert [n.event.index for n in transfer.notes] == [3] and transfer.received.event.index == 4
    assert chain.gaps == 1 and chain.items[2].nodes[0].gap_before == timedelta(days=8)
    assert chain.broken and chain.items[4].unverified and chain.items[4].nodes[1].broken


def _findings(html: str) -> dict[str, str]:
    """Each finding's code and its list item's inner HTML."""
    return dict(re.findall(r'<li class="finding \w+" data-code="(\w+)">(.*?)</li>', html, re.S))


def test_arabic_verify_names_findings_in_arabic_and_isolates_the_english_detail(site) -> None:
    from athar.web import i18n
    from athar.web.findings import FINDING_TITLES

    _, a, b = site
    _register_sample(a)
    _event(a, "S-1", action="handed_over", to="badr", at="2024-05-01T11:00")
    r = _event(b, "S-1", action="received", at="2024-05-05T12:00")  # four days later: a gap
    assert r.status_code == 303, r.text
    _event(b, "S-1", action="seal_checked", seals="A-1", status="broken", at="2024-05-05T12:30")
    english = _findings(b.get("/exhibits/S-1/verify").text)
    assert '<span class="finding-title">Seal recorded as broken or not matching</span>' in \
        english["broken_seal"]
    b.cookies.set("athar_lang", "ar")
    html = b.get("/exhibits/S-1/verify").text
    assert '<html lang="ar" dir="rtl">' in html
    found = _findings(html)
    assert {"broken_seal", "custody_gap"} <= set(found)
    ar = i18n.translations("ar")
    for code, item in found.items():
        title = re.search(r'<span class="finding-title">([^<]+)</span>', item).group(1)
        i18n.activate("en")
        english_title = str(FINDING_TITLES[code])
        assert title == ar.gettext(english_title) != english_title, code
        assert re.search("[\u0600-\u06ff]", title), title  # Arabic letters
        # The technical English message stays, as a detail isolated left to right.
        detail = re.search(r'<div class="finding-detail"><bdi dir="ltr" lang="en">(.*?)</bdi></div>',
                           item, re.S)
        assert detail and detail.group(1).startswith(f"<code>{code}</code>: entry "), item
    assert "<strong class=\"severity\">تنبيه</strong>" in found["broken_seal"]
    assert "الختم مسجَّل على أنه مكسور أو غير مطابق" in found["broken_seal"]
    assert "seal found broken or not matching" in found["broken_seal"]


def test_every_finding_code_has_a_title_translated_into_arabic() -> None:
    """The codes are read from the modules that make findings, so a new code without a title
    (or a title without an Arabic translation) fails here."""
    from athar.web.findings import FINDING_TITLES, finding_title
    from tests.conftest import ROOT

    made = set()
    for module in ("custody/verify.py", "custody/service.py", "report/verify.py"):
        source = (ROOT / "src" / "athar" / module).read_text()
        made |= set(re.findall(r'(?:Finding|\.add)\(\s*"(?:error|warning|info)",\s*"(\w+)"', source))
    assert len(made) >= 20 and {"custody_gap", "broken_seal", "bundle_invalid"} <= made
    assert made <= set(FINDING_TITLES), made - set(FINDING_TITLES)
    english, _ = _in_english_and_arabic(finding_title, FINDING_TITLES)
    assert len(set(english.values())) == len(english)  # no two codes share a title
    assert finding_title("no_such_code") == "no_such_code"


def test_every_custody_kind_and_seal_state_has_a_label_translated_into_arabic() -> None:
    """The kinds are read from the custody model, so a new one without a label (or a label
    without an Arabic translation) fails here."""
    from athar.custody import events, models
    from athar.web.labels import (
        EVENT_LABELS,
        EXHIBIT_KIND_LABELS,
        SEAL_STATE_LABELS,
        event_label,
        exhibit_kind_label,
        seal_state_label,
    )
    from tests.conftest import ROOT

    kinds = set(models.EXHIBIT_KINDS) | set(typing.get_args(models.ExhibitKind))
    actions = set(events.ACTIONS) | {k.removeprefix(events.PREFIX) for k in events.KINDS}
    source = (ROOT / "src" / "athar" / "custody" / "events.py").read_text()
    states = set(re.findall(r'"(\w+)"', re.search(r'body\.get\("status"\) in \(([^)]*)\)', source).group(1)))
    assert {"physical", "digital"} <= kinds and {"handed_over", "received_from_unverified_party"} <= actions
    assert states == {"intact", "broken"}
    states |= set(events.SEAL_STATUSES)
    for table, codes, label in ((EXHIBIT_KIND_LABELS, kinds, exhibit_kind_label),
                                (EVENT_LABELS, actions, event_label),
                                (SEAL_STATE_LABELS, states, seal_state_label)):
        assert codes <= set(table), codes - set(table)
        english, _ = _in_english_and_arabic(label, table)
        assert len(set(english.values())) == len(english)  # no two codes share a label
    assert event_label("no_such_kind") == "no_such_kind"
    from athar.web.labels import CORRECTION_REASON_LABELS, correction_reason_label

    assert set(events.CORRECTION_REASONS) == set(CORRECTION_REASON_LABELS)
    english, _ = _in_english_and_arabic(correction_reason_label, CORRECTION_REASON_LABELS)
    assert len(set(english.values())) == len(english)


def test_arabic_exhibit_page_names_kinds_events_and_seal_states_in_arabic(site) -> None:
    _, a, _b = site
    _register_sample(a)
    assert _event(a, "S-1", action="sealed", seals="A-1", at="2024-05-01T10:00").status_code == 303
    r = _event(a, "S-1", action="seal_checked", seals="A-1", status="broken", at="2024-05-01T10:30")
    assert r.status_code == 303, r.text
    english = a.get("/exhibits/S-1").text
    assert '<dd id="exhibit-kind">physical sample</dd>' in english
    a.cookies.set("athar_lang", "ar")
    try:
        html = a.get("/exhibits/S-1").text
        listing = a.get("/exhibits").text
    finally:
        a.cookies.delete("athar_lang")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<dd id="exhibit-kind">عيّنة مادية</dd>' in html
    assert '<dd class="kind">عيّنة مادية</dd>' in html  # the registration's details
    assert "عيّنة مادية" in listing.split('<table id="exhibits"', 1)[1]
    shown = re.findall(r'<strong class="ev-kind">([^<]+)</strong>', html)
    assert shown == ["سُجّل", "خُتم", "فُحص الختم"]  # registered, sealed, seal checked
    assert '<span class="flag bad">مكسور</span>' in html
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>',
                         html.split('id="event-action"', 1)[1].split("</select>", 1)[0])
    assert options and all(re.search("[\u0600-\u06ff]", text) for _, text in options), options
    # No raw code of the model left as a shown value.
    for raw in (">physical<", ">seal_checked<", ">sealed<", ">broken<", ">intact<", ">registered<"):
        assert raw not in html, raw


def test_every_role_has_a_label_translated_into_arabic() -> None:
    """The roles are read from the identity model, so a new one without a label (or a label
    without an Arabic translation) fails here."""
    from athar.identity import ROLES
    from athar.web.labels import ROLE_LABELS, role_label

    assert set(ROLES) == set(ROLE_LABELS), set(ROLES) ^ set(ROLE_LABELS)
    english, arabic = _in_english_and_arabic(role_label, ROLES)
    for role in ROLES:
        assert english[role] == role  # the English page shows the role's own name
    assert len(set(arabic.values())) == len(arabic)
    assert role_label("no_such_role") == "no_such_role"


def test_arabic_header_names_the_users_role_in_arabic(site) -> None:
    _, _, b = site
    assert '<small id="current-roles">(custodian)</small>' in b.get("/exhibits").text
    b.cookies.set("athar_lang", "ar")
    try:
        html = b.get("/exhibits").text
    finally:
        b.cookies.delete("athar_lang")
    assert '<small id="current-roles">(أمين حيازة)</small>' in html
    assert "custodian" not in html.split('id="current-user"', 1)[1].split("</span>", 1)[0]


def test_log_page_shows_custody_kinds_raw_with_their_label(site) -> None:
    ws, a, b = site
    _register_sample(a)
    assert _event(a, "S-1", action="handed_over", to="badr", at="2024-05-01T11:00").status_code == 303
    ws.log().publish_checkpoint()
    log = ws.log()
    kinds = {json.loads(log.entry(i))["kind"]: i for i in range(log.size())}
    index = kinds["custody.handed_over"]
    english = b.get("/log", params={"index": index}).text
    assert '<code dir="ltr" id="entry-kind">custody.handed_over</code>' in english
    assert '<span class="kind-label" id="entry-kind-label">(handed over)</span>' in english
    b.cookies.set("athar_lang", "ar")
    try:
        arabic = b.get("/log", params={"index": index}).text
        registered = b.get("/log", params={"index": kinds["custody.registered"]}).text
        actor = b.get("/log", params={"index": kinds["actor.registered"]}).text
    finally:
        b.cookies.delete("athar_lang")
    assert '<code dir="ltr" id="entry-kind">custody.handed_over</code>' in arabic  # kept raw
    assert '<span class="kind-label" id="entry-kind-label">(سُلّم)</span>' in arabic
    assert '<code dir="ltr" id="entry-kind">custody.registered</code>' in registered
    assert '<span class="kind-label" id="entry-kind-label">(سُجّل)</span>' in registered
    assert '<code dir="ltr" id="entry-kind">actor.registered</code></h3>' in actor  # not custody
    assert 'id="entry-kind-label"' not in actor


def test_a_correction_voids_an_event_and_the_page_strikes_it_through(site) -> None:
    """The author of the latest event in force gets a "correct this event" form; the voided
    event stays in the chain, struck through with the reason, and the exhibit goes on."""
    _ws, a, b = site
    _register_sample(a)
    assert _event(a, "S-1", action="sealed", seals="A-1", at="2024-05-01T10:00").status_code == 303
    r = _event(a, "S-1", action="handed_over", to="nobody", at="2024-05-01T11:00")
    assert r.status_code == 409 and "no actor &#39;nobody&#39; is registered" in r.text
    assert _event(a, "S-1", action="handed_over", to="badr",
                  at="2024-05-01T11:00").status_code == 303
    page = a.get("/exhibits/S-1").text
    form = re.search(r'<form[^>]*id="correct-form".*?</form>', page, re.S)
    assert form and 'name="action" value="correction"' in form.group(0)
    voids = re.search(r'name="voids" value="([0-9a-f]{64})"', form.group(0)).group(1)
    assert 'id="correct-form"' not in b.get("/exhibits/S-1").text  # not badr's event
    r = _event(a, "S-1", action="correction", voids=voids, correction_reason="wrong_details",
               notes="meant the lab", at="2024-05-01T11:05")
    assert r.status_code == 303, re.findall(r'id="event-error">([^<]*)', r.text)
    page = a.get("/exhibits/S-1").text
    voided = re.search(r'<li class="event ev-handed_over voided"[^>]*>.*?</li>', page, re.S)
    assert voided and "<del>" in voided.group(0)
    assert "Voided by the correction in log entry #" in voided.group(0)
    assert "wrong details" in voided.group(0)
    assert 'id="flag-pending"' not in page and '<li class="transfer' not in page
    assert re.search(r'Voids handed over \(log entry #\d+\): wrong details', page)
    assert _event(a, "S-1", action="stored", at="2024-05-01T12:00").status_code == 303
    report = a.get("/exhibits/S-1/verify").text
    assert 'data-code="event_voided"' in report and 'data-intact="true"' in report
    a.cookies.set("athar_lang", "ar")
    try:
        arabic = a.get("/exhibits/S-1").text
    finally:
        a.cookies.delete("athar_lang")
    assert "تفاصيل خاطئة" in arabic and "ألغاه التصحيح" in arabic
