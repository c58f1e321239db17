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
