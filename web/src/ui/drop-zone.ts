/**
 * Files dropped anywhere on the room page: an overlay says where they go while something is dragged
 * over it, and the drop hands every file to `onFiles`. Drags that carry no files (text, links) are
 * left to the browser.
 */
import { h, text } from './dom.js';

const hasFiles = (ev: DragEvent) => [...(ev.dataTransfer?.types ?? [])].includes('Files');

export function dropZone(target: HTMLElement, describe: () => string | null, onFiles: (files: File[]) => void): HTMLElement {
  const overlay = h('div', { class: 'drop-overlay', testid: 'drop-overlay', hidden: true, 'aria-hidden': 'true' });
  let depth = 0; // dragenter/dragleave fire for every child element crossed
  const hide = () => {
    depth = 0;
    overlay.hidden = true;
  };
  target.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    depth++;
    const where = describe();
    text(overlay, where ?? 'Nobody to send files to yet');
    overlay.classList.toggle('nobody', where === null);
    overlay.hidden = false;
  });
  target.addEventListener('dragover', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault(); // allows the drop
    if (ev.dataTransfer) ev.dataTransfer.dropEffect = describe() === null ? 'none' : 'copy';
  });
  target.addEventListener('dragleave', (ev) => {
    if (!hasFiles(ev)) return;
    if (--depth <= 0) hide();
  });
  target.addEventListener('drop', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault(); // else the browser opens the file in place of the call
    hide();
    const files = [...(ev.dataTransfer?.files ?? [])];
    if (files.length > 0 && describe() !== null) onFiles(files);
  });
  return overlay;
}
