/**
 * Pays the browser's one-time WebRTC start-up cost (the first RTCPeerConnection of a page brings up
 * the WebRTC stack; the first offer generates the DTLS certificate) while the page is idle, rather
 * than when the first offer comes in and the caller waits for our answer. For a peer that waits
 * in a room alone; one that joins with peers there connects at once and warms up doing so.
 */
export function warmUpWebRtc(Pc: (new () => RTCPeerConnection) | undefined = globalThis.RTCPeerConnection): void {
  if (typeof Pc !== 'function') return;
  const run = async () => {
    const pc = new Pc();
    try {
      pc.createDataChannel('warm-up');
      await pc.createOffer(); // never set: no ICE gathering, nothing on the network
    } catch {
      /* only a warm-up */
    } finally {
      pc.close();
    }
  };
  if (typeof globalThis.requestIdleCallback === 'function') globalThis.requestIdleCallback(() => void run(), { timeout: 1000 });
  else setTimeout(() => void run(), 100);
}
