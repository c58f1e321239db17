// Loaded on every page seen signed out (the sign-in page after signing out, or after an idle
// time-out): if this browser holds a street-work store, the server says whether its device
// has been ended (signed out on it, password changed, revoked: 410 Gone), and only then is
// the store deleted. After an idle time-out the device lives on: its records wait, sealed,
// for the worker to sign in again and send them.
import { heldDeviceId, wipe } from "./street-store.js";

const script = document.querySelector("script[data-street-device-url]");

async function check() {
  const device = await heldDeviceId();
  if (device === null) {
    return; // nothing held here
  }
  if (!device) {
    await wipe(); // a store without its device: nothing in it can be read
    return;
  }
  const url = script.dataset.streetDeviceUrl.replace(/[0-]{36}/, device);
  const answer = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  if (answer.status === 410) {
    await wipe();
  }
}

check().catch(() => null);
