// "Add another" for the editor's lists: copies the formset's empty form, numbered as
// the next one. Without JavaScript, saving gives one new empty entry instead.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.add-record")) {
    const prefix = button.dataset.prefix;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.getElementById(`${prefix}-empty`);
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      button.insertAdjacentHTML("beforebegin", html);
      total.value = String(index + 1);
      const added = button.previousElementSibling;
      added.querySelector("input, select, textarea")?.focus();
    });
  }
});

// Long lists of boxes (countries, languages, sectors): a search box above them and the
// chosen ones as chips that untick. Without JavaScript the boxes are all there.
const PICKER_FROM = 12;
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.profile-editor");
  if (!form) return;
  for (const fieldset of form.querySelectorAll(".field fieldset")) {
    const boxes = [...fieldset.querySelectorAll("input[type=checkbox]")];
    if (boxes.length < PICKER_FROM) continue;
    const legend = fieldset.querySelector("legend")?.textContent ?? "";
    const list = boxes[0].closest("div[id]") ?? boxes[0].parentElement.parentElement;
    fieldset.classList.add("picker");
    const search = document.createElement("input");
    search.type = "search";
    search.className = "picker-search";
    search.setAttribute("aria-label", `${form.dataset.find}: ${legend}`);
    search.placeholder = `${form.dataset.find}…`;
    const chosen = document.createElement("p");
    chosen.className = "picker-chosen";
    chosen.setAttribute("aria-live", "polite");
    list.before(chosen, search);
    const label = (box) => box.closest("label")?.textContent.trim() ?? box.value;
    const showChosen = () => {
      chosen.replaceChildren();
      const ticked = boxes.filter((b) => b.checked);
      if (!ticked.length) return;
      chosen.append(`${form.dataset.chosen} `);
      for (const box of ticked) {
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        chip.textContent = `${label(box)} ×`;
        chip.setAttribute("aria-label", `${form.dataset.unchoose}: ${label(box)}`);
        chip.addEventListener("click", () => {
          box.checked = false;
          box.dispatchEvent(new Event("change", { bubbles: true }));
        });
        chosen.append(chip, " ");
      }
    };
    search.addEventListener("input", () => {
      const words = search.value.toLocaleLowerCase().normalize("NFD").replace(/\p{Diacritic}/gu, "").split(/\s+/).filter(Boolean);
      for (const box of boxes) {
        const text = label(box).toLocaleLowerCase().normalize("NFD").replace(/\p{Diacritic}/gu, "");
        const item = box.closest("div:not([id])") ?? box.closest("label");
        item.hidden = !words.every((w) => text.includes(w));
      }
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault(); // not a submit of the whole section
    });
    fieldset.addEventListener("change", showChosen);
    showChosen();
  }
});

// Leaving the editor with changes not saved asks first (the browser's own question).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.profile-editor");
  if (!form) return;
  let unsaved = false;
  form.addEventListener("input", (event) => {
    if (!event.target.classList.contains("picker-search")) unsaved = true;
  });
  form.addEventListener("change", (event) => {
    if (!event.target.classList.contains("picker-search")) unsaved = true;
  });
  form.addEventListener("submit", () => { unsaved = false; });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = form.dataset.unsaved; // older browsers show a text; newer their own
    }
  });
});
