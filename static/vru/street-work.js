// Street work: record a detached session on a phone with or without a signal, and send it
// when there is one. Records wait in the encrypted store (street-store.js); the server
// answers each one stored, duplicate (already stored: an earlier try got through) or
// refused with the reason, and only what it confirmed is removed from the phone.
import * as store from "./street-store.js";

const root = document.getElementById("street");
const $ = (id) => document.getElementById(id);
const status = { waiting: $("street-waiting"), sent: $("street-last-sent"), net: $("street-connection") };
let draft = null; // the session in progress
let draftKey = "";
let csrf = "";
let sending = false;
let problem = "";

const uuid = () => crypto.randomUUID();
const now = () => new Date().toISOString();
const time = (iso) =>
  new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", hour12: false });
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// --- The key: from the server, for this device and its user signed in ---------------------

let signedOut = false; // the session ended (an idle time-out): records wait for sign-in
let notYours = false; // another worker made this phone's records

async function gone() {
  // the server has ended this device: what it holds can never be read: delete it
  await store.wipe();
  window.location.assign(window.location.href);
  return false;
}

async function unlock() {
  const device = await store.deviceId();
  if (!navigator.onLine) {
    return store.usePublicKey();
  }
  let response;
  try {
    response = await fetch(`${root.dataset.keyUrl}?device=${device}`, {
      redirect: "manual",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
  } catch {
    return store.usePublicKey(); // no connection after all
  }
  if (response.ok) {
    const pair = await response.json();
    csrf = pair.csrf;
    signedOut = false;
    notYours = false;
    await store.useKey(pair);
    return true;
  }
  if (response.status === 410) {
    return gone();
  }
  store.lock();
  if (response.status === 404) {
    notYours = true;
    return false;
  }
  if (response.type === "opaqueredirect" || [401, 403].includes(response.status)) {
    // signed out: only timed out (keep everything, ask to sign in again), or has the
    // server ended this device?
    let state;
    try {
      state = await fetch(root.dataset.deviceUrl.replace(/[0-]{36}/, device), {
        redirect: "manual",
        cache: "no-store",
      });
    } catch {
      return store.usePublicKey();
    }
    if (state.status === 410) {
      return gone();
    }
    signedOut = true;
  }
  return store.usePublicKey();
}

// --- Showing what is held ------------------------------------------------------------------

function describe(record) {
  const v = record.value;
  if (!v) {
    return "Locked record";
  }
  if (v.type === "session") {
    const people = v.counts.reduce((sum, c) => sum + c.count, 0);
    return `Session at ${v.place || v.lsoa || "your location"}, ${time(v.made_at)}: ${plural(people, "young person", "young people")}`;
  }
  return `Anonymous contact, ${time(v.made_at)}`;
}

async function render() {
  const records = await store.all();
  const held = records.filter((r) => r.state !== "draft");
  const waiting = held.filter((r) => r.state === "waiting").length;
  status.waiting.textContent = waiting
    ? `${plural(waiting, "record", "records")} waiting to send`
    : "Nothing waiting to send";
  const last = await store.meta("last_sent");
  status.sent.textContent = last ? `Last sent ${time(last)}` : "Not sent from this phone yet";
  status.net.textContent = navigator.onLine
    ? problem || (signedOut ? "Online, signed out" : "Online")
    : "Offline: records are kept on this phone until you are back online";
  $("street-sign-in").hidden = !signedOut;
  $("street-sign-in-link").textContent = waiting
    ? `Sign in again to send ${plural(waiting, "record", "records")}`
    : "Sign in again to send what you record";
  $("street-not-yours").hidden = !notYours;
  $("street-locked").hidden = store.unlocked() || held.length === 0 || notYours;
  $("street-held").replaceChildren(
    ...held.map((record) => {
      const item = document.createElement("li");
      item.className = "vru-street-held";
      item.dataset.state = record.state;
      const text = document.createElement("p");
      text.className = "govuk-body govuk-!-margin-bottom-1";
      text.textContent = describe(record);
      item.append(text);
      if (record.state === "refused" || (store.unlocked() && !record.value)) {
        const reason = document.createElement("p");
        reason.className = "govuk-error-message";
        reason.textContent = `Not stored: ${record.value ? record.value.reason : "it cannot be read any more"}`;
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "govuk-button govuk-button--warning";
        discard.textContent = "Discard";
        discard.setAttribute("aria-label", `Discard: ${describe(record)}`);
        discard.addEventListener("click", async () => {
          await store.remove(record.id);
          await render();
        });
        item.append(reason, discard);
      }
      return item;
    }),
  );
  $("street-send").hidden = waiting === 0;
  $("street-start").hidden = draft !== null || !store.canWrite();
  $("street-session").hidden = draft === null;
  if (draft) {
    $("street-session-where").textContent = `${draft.place || draft.lsoaName || "Where you are"}, started ${time(draft.made_at)}`;
    document.querySelectorAll(".vru-street-count").forEach((row) => {
      const key = `${row.dataset.band}|${row.dataset.gender}`;
      row.querySelector("output").textContent = draft.counts[key] || 0;
    });
    $("street-contacts").replaceChildren(
      ...draft.contacts.map((c) => {
        const item = document.createElement("li");
        item.textContent = `${c.age_band_label}, ${c.gender_label}${c.summary ? `: ${c.summary}` : ""}`;
        return item;
      }),
    );
  }
}

// --- Sending -----------------------------------------------------------------------------

async function send(again = true) {
  if (sending || !navigator.onLine || !store.unlocked()) {
    return;
  }
  sending = true;
  let retry = false;
  try {
    const waiting = (await store.all()).filter((r) => r.state === "waiting" && r.value);
    if (!waiting.length) {
      return;
    }
    let response;
    try {
      response = await fetch(root.dataset.syncUrl, {
        method: "POST",
        redirect: "manual",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ records: waiting.map((r) => r.value) }),
      });
    } catch {
      problem = "Not sent: the connection dropped. The records are kept and sent again.";
      return;
    }
    if (response.type === "opaqueredirect" || [401, 403].includes(response.status)) {
      // signed out (everything kept: the page asks to sign in again), the device ended
      // (wiped), or an old CSRF token: a new one, and one more try
      retry = (await unlock()) && again;
      return;
    }
    if (!response.ok) {
      problem = "Not sent: the server could not take them just now. They are kept and sent again.";
      return;
    }
    problem = "";
    const answer = await response.json();
    const byId = new Map(waiting.map((r) => [r.id, r]));
    for (const result of answer.results) {
      const record = byId.get(result.id);
      if (!record) {
        continue;
      }
      if (result.status === "stored" || result.status === "duplicate") {
        await store.remove(record.id);
      } else {
        await store.put(record.id, "refused", record.order, { ...record.value, reason: result.reason });
      }
    }
    await store.setMeta("last_sent", answer.received_at);
  } finally {
    sending = false;
    await render();
    if (retry) {
      await send(false); // with the new CSRF token, once
    }
  }
}

// --- Recording ---------------------------------------------------------------------------

async function saveDraft() {
  await store.put(draftKey, "draft", 0, draft);
  await render();
}

function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) {
      resolve(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      () => resolve(null),
      { timeout: 10000, maximumAge: 60000 },
    );
  });
}

$("street-start-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const where = form.elements.where.value;
  const next = {
    id: uuid(),
    type: "session",
    kind: "detached",
    made_at: now(),
    programme: Number(form.elements.programme.value),
    place: form.elements.place.value.trim(),
    lsoa: null,
    lsoaName: "",
    counts: {},
    contacts: [],
    staff: [...form.querySelectorAll('input[name="staff"]:checked')]
      .filter((box) => !box.closest("[hidden]"))
      .map((box) => Number(box.value)),
  };
  if (where === "other") {
    next.lsoa = form.elements.neighbourhood.value.trim() || null;
    next.lsoaName = next.lsoa || "";
  } else if (where !== "here") {
    next.lsoa = where;
    next.lsoaName = form.querySelector(`input[value="${where}"]`).dataset.name;
  } else {
    Object.assign(next, (await position()) || {});
  }
  draft = next;
  // each session in progress is kept under its own id: one locked on the phone (opened
  // without the key) is never written over, and opens once the key is back
  draftKey = `draft-${next.id}`;
  await saveDraft();
  $("street-session-heading").focus();
});

document.querySelectorAll(".vru-street-count").forEach((row) => {
  row.querySelectorAll("button").forEach((button) => {
    button.addEventListener("click", async () => {
      const key = `${row.dataset.band}|${row.dataset.gender}`;
      draft.counts[key] = Math.max(0, (draft.counts[key] || 0) + Number(button.dataset.step));
      await saveDraft();
    });
  });
});

$("street-issues").addEventListener("change", async (event) => {
  draft.issues_raised = event.target.value;
  await saveDraft();
});

$("street-contact-add").addEventListener("click", async () => {
  const band = $("street-contact-band");
  const gender = $("street-contact-gender");
  draft.contacts.push({
    id: uuid(),
    made_at: now(),
    age_band: band.value,
    age_band_label: band.selectedOptions[0].textContent,
    gender: gender.value,
    gender_label: gender.selectedOptions[0].textContent,
    summary: $("street-contact-summary").value.trim(),
  });
  $("street-contact-summary").value = "";
  await saveDraft();
});

$("street-close").addEventListener("click", async () => {
  draft.issues_raised = $("street-issues").value;
  const order = Date.now();
  const session = {
    id: draft.id,
    type: "session",
    kind: draft.kind,
    made_at: draft.made_at,
    programme: draft.programme,
    place: draft.place,
    lsoa: draft.lsoa,
    latitude: draft.latitude,
    longitude: draft.longitude,
    issues_raised: draft.issues_raised || "",
    staff: draft.staff || [],
    counts: Object.entries(draft.counts)
      .filter(([, count]) => count > 0)
      .map(([key, count]) => {
        const [age_band, gender] = key.split("|");
        return { age_band, gender, count };
      }),
  };
  await store.put(session.id, "waiting", order, session);
  let n = 1;
  for (const c of draft.contacts) {
    const contact = { id: c.id, type: "contact", made_at: c.made_at, session: session.id };
    Object.assign(contact, { age_band: c.age_band, gender: c.gender, summary: c.summary });
    await store.put(c.id, "waiting", order + n++, contact);
  }
  await store.remove(draftKey);
  draft = null;
  $("street-issues").value = "";
  await resume();
  await render();
  await send();
});

// A session in progress kept on the phone (the page closed, or locked when it opened): the
// earliest readable one is taken up again.
async function resume() {
  if (draft || !store.unlocked()) {
    return;
  }
  const kept = (await store.all())
    .filter((r) => r.state === "draft" && r.value)
    .sort((a, b) => a.value.made_at.localeCompare(b.value.made_at));
  if (kept.length) {
    draft = kept[0].value;
    draftKey = kept[0].id;
    $("street-issues").value = draft.issues_raised || "";
  }
}

// "Other staff present": only the staff of the programme chosen
function showColleagues() {
  const chosen = $("street-programme").value;
  document.querySelectorAll(".govuk-checkboxes__item[data-programme]").forEach((item) => {
    item.hidden = item.dataset.programme !== chosen;
  });
}
$("street-programme").addEventListener("change", showColleagues);
showColleagues();

$("street-send").addEventListener("click", () => send());
window.addEventListener("online", async () => {
  await unlock();
  await resume();
  await render();
  await send();
});
window.addEventListener("offline", render);

// Signing out from this page: delete the store before the form goes (the server ends this
// device, told by its cookie, and the sign-in page that follows deletes the store too).
document.querySelectorAll('form[action$="/logout/"]').forEach((form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    store.wipe().finally(() => form.submit());
  });
});

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.workerUrl).catch(() => null);
  }
  await unlock();
  await resume();
  await render();
  root.dataset.ready = "true";
  await send();
}

start();
