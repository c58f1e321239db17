// The place picker's suggestions (progressive enhancement: without this script the box still
// takes an LSOA code, an LSOA name or a place). Each box marked data-place-suggest gets a
// native <datalist>, filled as one types from the partnership's neighbourhoods.
const boxes = document.querySelectorAll("input[data-place-suggest]");

boxes.forEach((box) => {
  const list = document.createElement("datalist");
  list.id = `${box.id || box.name}-suggestions`;
  box.after(list);
  box.setAttribute("list", list.id);
  let timer = null;
  let asked = "";

  const fill = (results) => {
    list.replaceChildren(
      ...results.map((place) => {
        const option = document.createElement("option");
        option.value = place.name;
        option.label = `${place.code}, ${place.local_authority}`;
        return option;
      }),
    );
  };

  box.addEventListener("input", () => {
    // several places in one box (commas): suggest for the last one
    const typed = box.value.split(",").pop().trim();
    window.clearTimeout(timer);
    if (typed.length < 2 || typed === asked || box.value.includes(",")) {
      return;
    }
    timer = window.setTimeout(async () => {
      asked = typed;
      const url = new URL(box.dataset.placeSuggest, window.location.href);
      url.searchParams.set("q", typed);
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (response.ok) {
          fill((await response.json()).results || []);
        }
      } catch {
        // no suggestions: the box still takes what is typed
      }
    }, 200);
  });
});

// Choosing on a map: a button under each single-place box opens the partnership's local
// authorities; choosing one draws its neighbourhoods (fetched from the server as HTML, from
// vru:place_map); tapping one puts its code in the box.
boxes.forEach((box) => {
  const mapUrl = box.dataset.placeMap;
  if (!mapUrl || box.dataset.placeMultiple !== undefined) {
    return;
  }
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "govuk-button govuk-button--secondary govuk-!-margin-top-2 govuk-!-margin-bottom-0";
  toggle.textContent = "Choose on a map";
  toggle.setAttribute("aria-expanded", "false");
  const panel = document.createElement("div");
  panel.hidden = true;
  panel.id = `${box.id || box.name}-map`;
  toggle.setAttribute("aria-controls", panel.id);
  (box.parentElement.classList.contains("govuk-form-group") ? box : box.parentElement).after(
    toggle,
    panel,
  );

  const load = async (authority) => {
    const url = new URL(mapUrl, window.location.href);
    if (authority) {
      url.searchParams.set("local_authority", authority);
    }
    try {
      const response = await fetch(url, { headers: { Accept: "text/html" } });
      if (response.ok) {
        panel.innerHTML = await response.text();
      }
    } catch {
      panel.textContent = "The map cannot be loaded now: type the place instead.";
    }
  };

  toggle.addEventListener("click", async () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (open && !panel.childElementCount) {
      await load("");
    }
  });

  panel.addEventListener("click", async (event) => {
    const authority = event.target.closest("[data-place-map-authority]");
    if (authority) {
      event.preventDefault();
      await load(authority.dataset.placeMapAuthority);
      return;
    }
    const area = event.target.closest("[data-place-code]");
    if (area) {
      event.preventDefault();
      box.value = area.dataset.placeCode;
      box.dispatchEvent(new Event("change", { bubbles: true }));
      toggle.setAttribute("aria-expanded", "false");
      panel.hidden = true;
      box.focus();
    }
  });
});
