/** Plain-language messages for getUserMedia failures (no DOM: takes the error's name). */
export function describeMediaError(err: unknown): string {
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera and microphone access was denied. Allow it in the browser’s site settings, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera or microphone was found. Plug one in, then try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera or microphone is busy (another app may be using it).';
    case 'TypeError':
      return 'This page cannot use the camera here (it needs HTTPS or localhost).';
    default:
      return `Could not start the camera: ${err instanceof Error ? err.message : String(err)}`;
  }
}
