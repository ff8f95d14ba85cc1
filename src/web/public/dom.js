// Small DOM helpers: elements are built with text nodes only (no innerHTML), so nothing read from
// the chronology is ever parsed as markup.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** When an entry happened, as precisely as it is known, in its own time zone (from startLocal). */
export function occurredLabel(occurred) {
  const local = occurred.startLocal || occurred.start;
  const [ymd, time = ''] = local.split('T');
  const [year, month, day] = ymd.split('-');
  const monthName = MONTHS[Number(month) - 1];
  const date = `${Number(day)} ${monthName} ${year}`;
  const parts = ['night', 'dawn', 'morning', 'afternoon', 'evening'];
  let text;
  if (occurred.precision === 'year') text = year;
  else if (occurred.precision === 'month') text = `${monthName} ${year}`;
  else if (occurred.precision === 'week') text = `week of ${date}`;
  else if (occurred.precision === 'day') text = date;
  else if (parts.includes(occurred.precision)) text = `${date}, ${occurred.precision}`;
  else if (occurred.precision === 'hour') text = `${date} ${time.slice(0, 5)}, to the hour`;
  else text = `${date} ${time.slice(0, 5)}`;
  return occurred.approximate ? `about ${text}` : text;
}

/** An instant of the log (recordedAt), in UTC. */
export function instantLabel(iso) {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '';
}

/** 'TroopBuildupReported' → 'Troop buildup reported'. */
export function typeLabel(type) {
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const STATUSES = ['reported', 'corroborated', 'disputed', 'confirmed', 'refuted', 'retracted'];
