// The street-work page's store on the phone: IndexedDB, every record encrypted with AES-GCM.
//
// The key comes from the server for the signed-in session only (an ECDH P-256 pair kept in
// that session). Each record is sealed with a fresh ECDH pair of its own and the server's
// public key (ECIES): the page can write a record with the public key alone (kept here: it
// opens nothing), and only the private key, which the page holds in memory as a
// non-extractable CryptoKey and never writes down, opens it again. A lost phone holds
// ciphertext and the public key: nothing readable without the server, and the server's
// copy of the key ends with the signed-in session.

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
        value = null; // sealed with a key of an earlier session: unreadable for good
      }
    }
    out.push({ id: row.id, state: row.state, order: row.order, value });
  }
  return out;
}

// Sign-out, or the server ending the session: the store, the kept page and the key go.
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
