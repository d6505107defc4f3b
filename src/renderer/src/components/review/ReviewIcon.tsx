/**
 * Stroke icons of the review workspace (transport, range, evidence actions), drawn like the
 * common `Icon` so both sets sit together in one toolbar.
 */
const PATHS = {
  play: 'M7 4l13 8-13 8z',
  pause: 'M8 4v16M16 4v16',
  stop: 'M6 6h12v12H6z',
  reverse: 'M11 5l-8 7 8 7zM21 5l-8 7 8 7z',
  forward: 'M13 5l8 7-8 7zM3 5l8 7-8 7z',
  frameBack: 'M18 5l-9 7 9 7zM6 5v14',
  frameForward: 'M6 5l9 7-9 7zM18 5v14',
  keyframePrev: 'M4 5v14M14 8l-4 4 4 4 4-4z',
  keyframeNext: 'M20 5v14M10 8l4 4-4 4-4-4z',
  markIn: 'M10 4H6v16h4M14 8v8',
  markOut: 'M14 4h4v16h-4M10 8v8',
  marker: 'M5 21V4h12l-3 4 3 4H5',
  still: 'M4 7h3l2-3h6l2 3h3v12H4zM12 16a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  cut: 'M6 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8.5 7.5L20 19M8.5 16.5L20 5',
  zoomIn: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5M8 11h6M11 8v6',
  zoomOut: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5M8 11h6',
  fit: 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5',
  help: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14M12 17.5h.01',
  back: 'M19 12H5M11 6l-6 6 6 6',
  goTo: 'M3 12h13M12 7l5 5-5 5M21 4v16',
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3',
  tag: 'M3 12V3h9l9 9-9 9zM7.5 7.5h.01',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  addToCase: 'M3 6h6l2 2h10v11H3zM12 11v5M9.5 13.5h5',
  open: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
} as const;

export type ReviewIconName = keyof typeof PATHS;

export function ReviewIcon({ name, size = 16 }: { name: ReviewIconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
