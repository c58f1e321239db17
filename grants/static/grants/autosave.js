// Saves the applicant's draft as they go: when a field changes, the form is posted in the
// background as "Save draft" (the same server path as the button, so the same rules apply),
// and a status line says when it was saved, or that it was not (the server answers 422 when
// the draft is refused). Without JavaScript the "Save draft" button does
// the same. Loaded as a module with the page's CSP nonce (application_edit.html).
const form = document.querySelector("form[data-autosave]");
const status = document.getElementById("autosave-status");

if (form && status) {
  let timer = null;
  const save = async () => {
    const data = new FormData(form);
    data.append("save", "");
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        redirect: "follow",
      });
      const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      if (response.status === 422) {
        // The server refused the draft (an answer it cannot accept): nothing was saved.
        status.textContent =
          "Your draft was not saved: an answer needs correcting. Use “Save draft” to see which.";
        status.classList.add("govuk-error-message");
      } else if (response.ok && !response.url.endsWith("/login/")) {
        status.textContent = `Draft saved at ${time}.`;
        status.classList.remove("govuk-error-message");
      } else {
        status.textContent = "Your draft could not be saved automatically. Use “Save draft”.";
        status.classList.add("govuk-error-message");
      }
    } catch {
      status.textContent = "Your draft could not be saved automatically. Use “Save draft”.";
      status.classList.add("govuk-error-message");
    }
  };
  form.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  });
}
