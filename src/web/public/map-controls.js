// How the map is moved: keys on the focused map (+ and = zoom in, - and _ zoom out, arrows pan,
// 0 fits the view to the entries again), the mouse wheel (zooms about the pointer) and dragging.

export const ZOOM_STEP = 1.5;
const WHEEL_STEP = 1.25;
const PAN_STEP = 0.15; // of the stage's size, per arrow key press

/** Makes `stage` answer keys, wheel and drags with `zoomBy(factor, at?)`, `panBy(dx, dy)` and `fit()`. */
export function attachControls(stage, { zoomBy, panBy, fit }) {
  stage.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const width = stage.clientWidth * PAN_STEP;
    const height = stage.clientHeight * PAN_STEP;
    const keys = {
      '+': () => zoomBy(ZOOM_STEP),
      '=': () => zoomBy(ZOOM_STEP),
      '-': () => zoomBy(1 / ZOOM_STEP),
      _: () => zoomBy(1 / ZOOM_STEP),
      0: fit,
      ArrowLeft: () => panBy(-width, 0),
      ArrowRight: () => panBy(width, 0),
      ArrowUp: () => panBy(0, -height),
      ArrowDown: () => panBy(0, height),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  stage.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const box = stage.getBoundingClientRect();
      zoomBy(event.deltaY < 0 ? WHEEL_STEP : 1 / WHEEL_STEP, [
        event.clientX - box.left,
        event.clientY - box.top,
      ]);
    },
    { passive: false },
  );

  // Dragging the map (not a marker) pans it.
  stage.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || event.target.closest?.('.map-marker')) return;
    let last = [event.clientX, event.clientY];
    stage.setPointerCapture(event.pointerId);
    stage.classList.add('is-dragging');
    const move = (e) => {
      panBy(last[0] - e.clientX, last[1] - e.clientY);
      last = [e.clientX, e.clientY];
    };
    const end = () => {
      stage.classList.remove('is-dragging');
      stage.removeEventListener('pointermove', move);
      stage.removeEventListener('pointerup', end);
      stage.removeEventListener('pointercancel', end);
    };
    stage.addEventListener('pointermove', move);
    stage.addEventListener('pointerup', end);
    stage.addEventListener('pointercancel', end);
  });
}
