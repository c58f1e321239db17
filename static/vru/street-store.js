// The street-work page's store on the phone: IndexedDB, every record encrypted with AES-GCM.
//
// The key is the server's, one ECDH P-256 pair for this device (a browser on a phone, known
// by an id the page made, which is not a secret), kept by the server with the private half
// encrypted at rest and handed only to the same user, signed in, asking for this device. Each
// record is sealed with a fresh ECDH pair of its own and the device's public key (ECIES): the
// page can write a record with the public key alone (kept here: it opens nothing), and only
// the private key, which the page holds in memory as a non-extractable CryptoKey and never
// writes down, opens it again. A lost phone holds ciphertext, the public key and the device
// id: nothing readable without a signed-in session of its user, and the server can end the
// device for good (signing out on it, a password change, an administrator).

const DB = "vru-street";
const RECORDS = "records";
const META = "meta";
const EC = { name: "ECDH", namedCurve: "P-256" };
const AES = { name: "AES-GCM", length: 256 };

let db = null;
let publicKey = null;
let privateKey = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function open() {
  if (db) {
    return db;
  }
  const req = indexedDB.open(DB, 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore(RECORDS, { keyPath: "id" });
    req.result.createObjectStore(META);
  };
  db = await request(req);
  db.onversionchange = () => {
    // another page deletes the store (signing out): let it
    db.close();
    db = null;
  };
  return db;
}

async function store(name, mode = "readonly") {
  return (await open()).transaction(name, mode).objectStore(name);
}

export async function meta(name) {
  return request((await store(META)).get(name));
}

export async function setMeta(name, value) {
  return request((await store(META, "readwrite")).put(value, name));
}

// The id this page made for the device (kept with the store; a new one after a wipe), also
// kept in a cookie so that signing out, from any page, tells the server which phone it is.
export async function deviceId() {
  let id = await meta("device");
  if (!id) {
    id = crypto.randomUUID();
    await setMeta("device", id);
  }
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `vru_street_device=${id}; Path=/; Max-Age=31536000; SameSite=Strict${secure}`;
  return id;
}

// The device id kept, if a store is held at all (without making one).
export async function heldDeviceId() {
  if (indexedDB.databases) {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(DB)) {
      return null;
    }
  }
  return (await meta("device")) || "";
}

// Signed out (or not this user's device): the private key leaves memory; what is held
// stays, sealed, until the key is handed out again.
export function lock() {
  privateKey = null;
}

export function unlocked() {
  return privateKey !== null;
}

export function canWrite() {
  return publicKey !== null;
}

// The key from the server: {public, private} JWKs. The private one is imported
// non-extractable and kept in this module only.
export async function useKey(pair) {
  privateKey = await crypto.subtle.importKey("jwk", pair.private, EC, false, ["deriveKey"]);
  publicKey = await crypto.subtle.importKey("jwk", pair.public, EC, false, []);
  await setMeta("public", pair.public);
}

// Without a connection: the public key kept from the last time, to write (not read).
export async function usePublicKey() {
  const jwk = await meta("public");
  if (jwk) {
    publicKey = await crypto.subtle.importKey("jwk", jwk, EC, false, []);
  }
  return publicKey !== null;
}

async function seal(value) {
  const own = await crypto.subtle.generateKey(EC, true, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey(
    { name: "ECDH", public: publicKey },
    own.privateKey,
    AES,
    false,
    ["encrypt"],
  );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(value));
  return {
    eph: await crypto.subtle.exportKey("raw", own.publicKey),
    iv,
    data: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain),
  };
}

async function unseal(sealed) {
  const theirs = await crypto.subtle.importKey("raw", sealed.eph, EC, false, []);
  const key = await crypto.subtle.deriveKey(
    { name: "ECDH", public: theirs },
    privateKey,
    AES,
    false,
    ["decrypt"],
  );
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

// A record: {id, state ("draft", "waiting" or "refused"), order} in the clear (what the
// page counts while locked), everything else sealed.
export async function put(id, state, order, value) {
  const sealed = await seal(value);
  return request((await store(RECORDS, "readwrite")).put({ id, state, order, ...sealed }));
}

export async function remove(id) {
  return request((await store(RECORDS, "readwrite")).delete(id));
}

// Every record: [{id, state, order, value}] (value null while locked), in order.
export async function all() {
  const rows = await request((await store(RECORDS)).getAll());
  rows.sort((a, b) => a.order - b.order);
  const out = [];
  for (const row of rows) {
    let value = null;
    if (privateKey) {
      try {
        value = await unseal(row);
      } catch {
        value = null; // sealed with a key of an earlier device: unreadable for good
      }
    }
    out.push({ id: row.id, state: row.state, order: row.order, value });
  }
  return out;
}

// Sign-out, or the server ending this device: the store, the kept page and the key go.
export async function wipe() {
  privateKey = null;
  publicKey = null;
  if (db) {
    db.close();
    db = null;
  }
  await request(indexedDB.deleteDatabase(DB)).catch(() => null);
  if (self.caches) {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("vru-street")).map((n) => caches.delete(n)));
  }
}
