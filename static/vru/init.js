// Initialise every GOV.UK Frontend component on the page (error summary focus, service
// navigation menu, password reveal, notification banners...). Loaded from base.html as
// <script type="module" nonce="...">. The path below is relative, so it works under any
// STATIC_URL, and ManifestStaticFilesStorage can rewrite it to the hashed file name.
import { initAll } from "../govuk/govuk-frontend.min.js";

// A page with form errors moves focus to the error summary; a success banner on the same
// page must not take the focus away from it.
const hasErrorSummary = document.querySelector(".govuk-error-summary") !== null;

initAll({ notificationBanner: { disableAutoFocus: hasErrorSummary } });
