/**
 * What a peer chose (its name, a file's name) as the terminal may show it: without control
 * characters (escape sequences could rewrite the screen) or bidirectional overrides (which make
 * `invoice\u202Efdp.exe` read as `invoiceexe.pdf`).
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}
