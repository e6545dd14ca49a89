// Duplicate queue: 'm' merges, 'n' marks "not a duplicate" (the buttons also work without this).
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
  const button = { m: "verdict-merge", n: "verdict-not" }[event.key];
  if (!button) return;
  const element = document.getElementById(button);
  if (element) {
    event.preventDefault();
    element.click();
  }
});
