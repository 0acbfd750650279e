// Small DOM helpers. Every string that can come from a user (labels, paths, ids, messages) is set
// with textContent, never parsed as HTML, so a job labelled "<img src=x onerror=...>" shows those
// characters.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// Writes text only when it changed: most progress events change a few fields of a tile.
export function setText(node, value) {
  const text = value === undefined || value === null ? '' : String(value);
  if (node.burnfarmText !== text) {
    node.burnfarmText = text;
    node.textContent = text;
  }
}

export function setClass(node, className) {
  if (node.className !== className) node.className = className;
}

export function setWidth(node, percent) {
  const width = Math.max(0, Math.min(100, Number(percent) || 0)).toFixed(1) + '%';
  if (node.burnfarmWidth !== width) {
    node.burnfarmWidth = width;
    node.style.width = width;
  }
}

export function show(node, visible) {
  if (node.hidden === visible) node.hidden = !visible;
}

// Natural order: T1-D2 before T1-D10.
export function byNaturalId(a, b) {
  return a.localeCompare(b, 'en', { numeric: true });
}

// Inserts child into parent keeping children (with data-key) in natural order.
export function insertSorted(parent, child, key) {
  child.dataset.key = key;
  for (const sibling of parent.children) {
    if (sibling.dataset.key !== undefined && byNaturalId(key, sibling.dataset.key) < 0) {
      parent.insertBefore(child, sibling);
      return child;
    }
  }
  parent.appendChild(child);
  return child;
}

export function button(text, action, attributes) {
  const node = el('button', 'act', text);
  node.type = 'button';
  node.dataset.action = action;
  for (const [name, value] of Object.entries(attributes || {})) node.dataset[name] = value;
  return node;
}

export function formatNumber(value, digits) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '';
}

export function formatDuration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : m > 0 ? `${m} min ${String(r).padStart(2, '0')} s` : `${r} s`;
}

export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}
