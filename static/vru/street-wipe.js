// Loaded on every page seen signed out (the sign-in page after signing out, or after the
// session ended): what the street-work page kept on this device is deleted.
import { wipe } from "./street-store.js";

wipe();
