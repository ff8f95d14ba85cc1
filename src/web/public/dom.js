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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** When an entry happened, as precisely as it is known, in its own time zone (from startLocal). */
export function occurredLabel(occurred) {
  const local = occurred.startLocal || occurred.start;
  const [date, time = ''] = local.split('T');
  const [year, month, day] = date.split('-');
  const monthName = MONTHS[Number(month) - 1];
  let text;
  switch (occurred.precision) {
    case 'year':
      text = year;
      break;
    case 'month':
      text = `${monthName} ${year}`;
      break;
    case 'day':
      text = `${Number(day)} ${monthName} ${year}`;
      break;
    default:
      text = `${Number(day)} ${monthName} ${year} ${time.slice(0, 5)}`;
  }
  if (
    occurred.precision &&
    !['year', 'month', 'day', 'minute', 'second', 'exact'].includes(occurred.precision)
  )
    text += ` (${occurred.precision})`;
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
