// Page tools without inline scripts (the CSP refuses them): 打印 buttons, and the "select all" checkbox of
// a list with batch actions (data-select-all="<name of the rows' checkboxes>").
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) {
    return;
  }
  // The form's elements include the checkboxes tied to it by their form attribute (rows outside it).
  for (const box of all.form.elements) {
    if (box.type === "checkbox" && box.name === all.dataset.selectAll) {
      box.checked = all.checked;
    }
  }
});
