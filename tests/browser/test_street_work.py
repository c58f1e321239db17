"""End-to-end: street work on a 360 px phone in Chromium. A session with counts and an
anonymous contact recorded with the network off arrives once when it comes back and shows
on the session list; a send cut off halfway, or answered twice, stores it once; signing
out wipes what the phone held; axe on every state."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session as DjangoSession
from django.utils import timezone
from playwright.sync_api import expect

from programmes import services
from programmes.models import DetachedContact, Session, StreetDevice, StreetRecord
from tests.browser.helpers import PageChecker
from tests.factories import TEST_PASSWORD, LSOAFactory, ProgrammeFactory, programme_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
STREET = "/programmes/street/"
SYNC = "**/programmes/street/sync/"


@pytest.fixture
def worker(transactional_db):
    programme = ProgrammeFactory(name="Streetwise", kind="detached")
    user = programme_staff(programme, "practitioner", username="streetworker")
    programme_staff(programme, "practitioner", first_name="Ann", last_name="Colleague")
    lsoa = LSOAFactory(partnership=programme.partnership, name="Basildon 001A")
    # an earlier session there makes it one of the worker's usual places
    services.session_record(
        actor=user,
        programme=programme,
        kind="detached",
        held_on=timezone.localdate() - datetime.timedelta(days=7),
        place="Town square",
        lsoa=lsoa,
        counts={("14-17", "male"): 1},
    )
    return user


def _phone(browser, live_server, **options):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, **options)
    checker = PageChecker(context.new_page(), live_server.url)
    return context, checker


def _sign_in(checker):
    checker.sign_in("streetworker", TEST_PASSWORD)
    checker.goto(STREET, title="Street work")
    expect(checker.page.locator("#street")).to_have_attribute("data-ready", "true")


def _record_session(page):
    page.get_by_label("Basildon 001A").check()
    page.get_by_label("Place", exact=True).fill("Skate park")
    page.get_by_role("button", name="Start session").click()
    expect(page.get_by_role("heading", name="Session in progress")).to_be_visible()
    for _ in range(3):
        page.get_by_role("button", name="One more: Male, 14 to 17").click()
    for _ in range(2):
        page.get_by_role("button", name="One more: Female, 14 to 17").click()
    page.get_by_role("button", name="One fewer: Female, 14 to 17").click()
    page.get_by_label("Issues raised").fill("Talk of a fight at the weekend")
    page.get_by_label("Age band").select_option(label="14 to 17")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("What you talked about (no names)").fill("Asked about boxing")
    page.get_by_role("button", name="Add anonymous contact").click()
    expect(page.locator("#street-contacts")).to_contain_text("Asked about boxing")


def _stored_once():
    session = Session.objects.get(place="Skate park")
    assert sorted(session.counts.values_list("gender", "count")) == [("female", 1), ("male", 3)]
    assert session.issues_raised == "Talk of a fight at the weekend"
    assert session.lsoa.name == "Basildon 001A"
    assert [c.summary for c in DetachedContact.objects.all()].count("Asked about boxing") == 1
    assert StreetRecord.objects.count() == 2
    return session


def test_a_session_recorded_offline_arrives_once_when_back_online(browser, live_server, worker):
    context, checker = _phone(browser, live_server)
    page = checker.page
    _sign_in(checker)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    # no signal: the page opens from the phone and records are kept on it
    context.set_offline(True)
    page.reload()
    expect(page.locator("#street")).to_have_attribute("data-ready", "true")
    expect(page.locator("#street-connection")).to_contain_text("Offline")
    assert page.evaluate("navigator.serviceWorker.controller !== null")  # from the phone
    checker.check()
    page.get_by_label("Ann Colleague").check()
    _record_session(page)
    checker.check()
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-waiting")).to_have_text("2 records waiting to send")
    checker.check()
    assert not Session.objects.filter(place="Skate park").exists()

    # back online: sent, confirmed, removed from the phone
    context.set_offline(False)
    expect(page.locator("#street-waiting")).to_have_text("Nothing waiting to send")
    expect(page.locator("#street-last-sent")).to_contain_text("Last sent")
    checker.check()
    session = _stored_once()
    assert session.created_by == worker
    assert sorted(u.last_name for u in session.staff.all()) == ["Colleague", worker.last_name]

    checker.goto("/programmes/sessions/", title="Sessions")
    expect(page.get_by_role("row", name=re.compile("Skate park"))).to_be_visible()
    context.close()


def test_a_send_cut_off_halfway_is_stored_once_after_the_retry(browser, live_server, worker):
    # (service workers blocked: Playwright routes only what the page itself sends)
    context, checker = _phone(browser, live_server, service_workers="block")
    page = checker.page
    _sign_in(checker)
    tries = []

    def drop_the_first_answer(route):
        tries.append(route.request.post_data_json)
        response = route.fetch()  # the server stores the batch...
        if len(tries) == 1:
            route.abort("connectionreset")  # ...and the connection drops before the answer
        else:
            route.fulfill(response=response)

    page.route(SYNC, drop_the_first_answer)
    checker.expected_failures.add(checker.url(SYNC.replace("**", "")))
    _record_session(page)
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-connection")).to_contain_text("connection dropped")
    expect(page.locator("#street-waiting")).to_have_text("2 records waiting to send")
    _stored_once()  # stored already: the phone does not know it
    checker.check()

    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#street-waiting")).to_have_text("Nothing waiting to send")
    assert len(tries) == 2
    assert tries[0] == tries[1]
    _stored_once()
    checker.check()
    context.close()


def test_the_same_batch_sent_twice_is_stored_once(browser, live_server, worker):
    context, checker = _phone(browser, live_server, service_workers="block")
    page = checker.page
    _sign_in(checker)
    answers = []

    def send_twice(route):
        answers.append(route.fetch().json())
        again = route.fetch()
        answers.append(again.json())
        route.fulfill(response=again)

    page.route(SYNC, send_twice)
    _record_session(page)
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-last-sent")).to_contain_text("Last sent")
    expect(page.locator("#street-waiting")).to_have_text("Nothing waiting to send")
    assert [r["status"] for r in answers[0]["results"]] == ["stored", "stored"]
    assert [r["status"] for r in answers[1]["results"]] == ["duplicate", "duplicate"]
    _stored_once()
    checker.check()
    context.close()


def test_a_refused_record_stays_with_its_reason_until_discarded(browser, live_server, worker):
    context, checker = _phone(browser, live_server, service_workers="block")
    page = checker.page
    _sign_in(checker)
    context.set_offline(True)
    _record_session(page)
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-waiting")).to_have_text("2 records waiting to send")
    programme = Session.objects.first().programme
    programme.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    programme.save()

    context.set_offline(False)
    expect(page.get_by_text("it takes no sessions after that")).to_be_visible()
    expect(page.locator("#street-waiting")).to_have_text("Nothing waiting to send")
    checker.check()
    assert not Session.objects.filter(place="Skate park").exists()
    page.get_by_role("button", name=re.compile("Discard: Session at Skate park")).click()
    page.get_by_role("button", name=re.compile("Discard: Anonymous contact")).click()
    expect(page.locator(".vru-street-held")).to_have_count(0)
    checker.check()
    context.close()


def _street_storage(page) -> dict:
    return page.evaluate(
        """async () => ({
            databases: (await indexedDB.databases()).map((d) => d.name),
            caches: await caches.keys(),
        })"""
    )


def test_signing_out_wipes_what_the_phone_held(browser, live_server, worker):
    context, checker = _phone(browser, live_server)
    page = checker.page
    _sign_in(checker)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    _record_session(page)
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-waiting")).to_have_text("2 records waiting to send")
    held = _street_storage(page)
    assert "vru-street" in held["databases"]
    # nothing readable in the store: counts, notes and places are ciphertext
    raw = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("vru-street");
            open.onsuccess = () => {
                const all = open.result.transaction("records").objectStore("records").getAll();
                all.onsuccess = () => { resolve(JSON.stringify(all.result.map((r) =>
                    ({...r, data: new TextDecoder().decode(r.data)})))); open.result.close(); };
            };
        })"""
    )
    assert "Skate park" not in raw
    assert "boxing" not in raw

    # back online, the programme closed: the records are refused and stay on the phone
    programme = Session.objects.first().programme
    programme.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    programme.save()
    context.set_offline(False)
    expect(page.get_by_text("it takes no sessions after that")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    checker.sign_out()
    checker.check()
    page.wait_for_function(
        """async () => !(await indexedDB.databases()).some((d) => d.name === "vru-street")"""
    )
    assert not any(name.startswith("vru-street") for name in _street_storage(page)["caches"])
    assert StreetDevice.objects.get().revoked_why == StreetDevice.Revoked.SIGNED_OUT
    context.close()


def _records_held(page) -> int:
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("vru-street");
            open.onsuccess = () => {
                const all = open.result.transaction("records").objectStore("records").count();
                all.onsuccess = () => { resolve(all.result); open.result.close(); };
            };
        })"""
    )


def test_signed_out_by_the_idle_time_out_the_records_wait_and_arrive_after_signing_in(
    browser, live_server, worker
):
    context, checker = _phone(browser, live_server, service_workers="block")
    page = checker.page
    _sign_in(checker)
    context.set_offline(True)
    _record_session(page)
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-waiting")).to_have_text("2 records waiting to send")
    # while the phone has no signal the signed-in session ends on the server (idle time-out)
    DjangoSession.objects.all().delete()

    context.set_offline(False)
    sign_in_again = page.get_by_role("link", name="Sign in again to send 2 records")
    expect(sign_in_again).to_be_visible()
    expect(page.locator("#street-waiting")).to_have_text("2 records waiting to send")
    assert _records_held(page) == 2
    checker.check()
    assert not Session.objects.filter(place="Skate park").exists()
    assert not StreetDevice.objects.get().revoked

    sign_in_again.click()
    page.wait_for_url(checker.url("/accounts/login/?next=/programmes/street/"))
    checker.check()
    assert _records_held(page) == 2  # the sign-in page keeps them: the device lives on
    page.get_by_label("Username").fill("streetworker")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(checker.url(STREET))
    expect(page.locator("#street-waiting")).to_have_text("Nothing waiting to send")
    expect(page.locator("#street-sign-in")).to_be_hidden()
    checker.check()
    _stored_once()
    assert StreetDevice.objects.count() == 1  # the same device, its key handed out again
    context.close()


def test_a_device_the_server_revoked_forgets_what_it_held(browser, live_server, worker):
    context, checker = _phone(browser, live_server, service_workers="block")
    page = checker.page
    _sign_in(checker)
    context.set_offline(True)
    _record_session(page)
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-waiting")).to_have_text("2 records waiting to send")
    device = StreetDevice.objects.get()
    services.street_device_revoke(device=device, why=StreetDevice.Revoked.ADMINISTRATOR)
    checker.expected_failures.add(checker.url(f"{STREET}key/?device={device.device_id}"))

    context.set_offline(False)
    # the store deleted, the page opened afresh on a new device of its own
    page.wait_for_function(f"() => !document.cookie.includes('{device.device_id}')")
    expect(page.locator("#street")).to_have_attribute("data-ready", "true")
    expect(page.locator("#street-waiting")).to_have_text("Nothing waiting to send")
    assert _records_held(page) == 0
    checker.check()
    assert not Session.objects.filter(place="Skate park").exists()
    assert StreetDevice.objects.filter(revoked_at__isnull=True).exclude(pk=device.pk).count() == 1
    context.close()


def test_a_session_in_progress_locked_on_the_phone_is_not_written_over(
    browser, live_server, worker
):
    context, checker = _phone(browser, live_server)
    page = checker.page
    _sign_in(checker)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    _record_session(page)  # left in progress

    # opened again without a signal: the key is not in memory, the session in progress is
    # locked, and the worker starts another one
    context.set_offline(True)
    page.reload()
    expect(page.locator("#street")).to_have_attribute("data-ready", "true")
    page.get_by_label("Basildon 001A").check()
    page.get_by_label("Place", exact=True).fill("Bus stop")
    page.get_by_role("button", name="Start session").click()
    page.get_by_role("button", name="One more: Male, 18 to 24").click()
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-waiting")).to_have_text("1 record waiting to send")

    # back online: the one closed is sent, the one in progress opens again as it was
    context.set_offline(False)
    expect(page.locator("#street-waiting")).to_have_text("Nothing waiting to send")
    expect(page.locator("#street-session-where")).to_contain_text("Skate park")
    expect(page.locator("#street-contacts")).to_contain_text("Asked about boxing")
    checker.check()
    assert Session.objects.filter(place="Bus stop").count() == 1
    with page.expect_response(SYNC):
        page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-waiting")).to_have_text("Nothing waiting to send")
    session = Session.objects.get(place="Skate park")
    assert sorted(session.counts.values_list("gender", "count")) == [("female", 1), ("male", 3)]
    assert [c.summary for c in DetachedContact.objects.all()].count("Asked about boxing") == 1
    context.close()


def test_where_i_am_now_is_the_neighbourhood_holding_the_phone(browser, live_server, worker):
    square = [[[0.40, 51.70], [0.50, 51.70], [0.50, 51.80], [0.40, 51.80], [0.40, 51.70]]]
    here = LSOAFactory(
        partnership=worker.partnership,
        name="Chelmsford 007C",
        boundary={"type": "Polygon", "coordinates": square},
    )
    context, checker = _phone(
        browser,
        live_server,
        service_workers="block",
        geolocation={"latitude": 51.75, "longitude": 0.45},
        permissions=["geolocation"],
    )
    page = checker.page
    _sign_in(checker)
    page.get_by_label("Where I am now (the phone's location)").check()
    page.get_by_label("Place", exact=True).fill("Bus station")
    page.get_by_role("button", name="Start session").click()
    page.get_by_role("button", name="One more: Non-binary, 18 to 24").click()
    # the page closed and opened again mid-session: the session in progress is still there
    page.reload()
    expect(page.locator("#street")).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("heading", name="Session in progress")).to_be_visible()
    page.get_by_role("button", name="One more: Non-binary, 18 to 24").click()
    page.get_by_role("button", name="Close session").click()
    expect(page.locator("#street-last-sent")).to_contain_text("Last sent")
    checker.check()

    session = Session.objects.get(place="Bus station")
    assert session.lsoa == here
    assert list(session.counts.values_list("age_band", "gender", "count")) == [
        ("18-24", "non_binary", 2)
    ]
    context.close()
