// The caseload's filters behind a "Show filters" button on narrow screens (progressive
// enhancement: without this script the filters are simply shown). On wide screens the
// filters are always shown and the button is hidden. Filters already in use stay open.
const button = document.querySelector(".vru-filters-toggle");
const filters = button && document.getElementById(button.getAttribute("aria-controls"));

if (button && filters) {
  const narrow = window.matchMedia("(max-width: 40.0525em)");

  const show = (open) => {
    filters.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Hide filters" : "Show filters";
  };

  const layout = () => {
    button.hidden = !narrow.matches;
    show(!narrow.matches || filters.hasAttribute("data-filtered"));
  };

  button.addEventListener("click", () => show(filters.hidden));
  narrow.addEventListener("change", layout);
  layout();
}
