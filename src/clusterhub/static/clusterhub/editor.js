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
