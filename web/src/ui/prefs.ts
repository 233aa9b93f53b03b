/** What the page remembers locally: the display name. */
const NAME_KEY = 'switchboard.name';

export function savedName(): string | null {
  try {
    return localStorage.getItem(NAME_KEY);
  } catch {
    return null;
  }
}

export function saveName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    /* private mode: not remembered */
  }
}

export function guestName(): string {
  return `Guest ${Math.floor(100 + Math.random() * 900)}`;
}
