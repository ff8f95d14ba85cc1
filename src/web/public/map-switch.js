// "Show: timeline | map": which view of the filtered items the timeline page shows. It is kept in
// the URL as `show=map` (the timeline when absent), beside the filters, so a reload or a shared
// link opens the same view; changing it replaces the URL as the group switch does.

let installed = false;

function wanted() {
  return new URLSearchParams(location.search).get('show') === 'map' ? 'map' : 'timeline';
}

function apply(mapContainer, onShown) {
  const show = wanted();
  for (const radio of document.querySelectorAll('input[name="show"]')) radio.checked = radio.value === show;
  const timeline = document.getElementById('timeline');
  if (timeline) timeline.hidden = show === 'map';
  const wasHidden = mapContainer.hidden;
  mapContainer.hidden = show !== 'map';
  if (wasHidden && show === 'map') onShown();
}

/**
 * Shows the view the URL names (on every render: after a load, a reload, Back or Forward), and on
 * first use makes the switch's radios change it. `onShown` runs when the map comes into view.
 */
export function syncShowSwitch(mapContainer, onShown) {
  if (!installed) {
    installed = true;
    for (const radio of document.querySelectorAll('input[name="show"]'))
      radio.addEventListener('change', () => {
        const params = new URLSearchParams(location.search);
        if (radio.value === 'map') params.set('show', 'map');
        else params.delete('show');
        const query = params.toString();
        history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
        apply(mapContainer, onShown);
      });
  }
  apply(mapContainer, onShown);
}
