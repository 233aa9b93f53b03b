/**
 * Pays the browser's one-time WebRTC start-up cost (the first RTCPeerConnection of a page brings up
 * the WebRTC stack; the first offer generates the DTLS certificate) while the page is idle, rather
 * than when the first offer comes in and the caller waits for our answer. For a peer that waits
 * in a room alone; one that joins with peers there connects at once and warms up doing so.
 */
export function warmUpWebRtc(): void {
  if (typeof RTCPeerConnection !== 'function') return;
  const run = async () => {
    const pc = new RTCPeerConnection();
    try {
      pc.createDataChannel('warm-up');
      await pc.createOffer(); // never set: no ICE gathering, nothing on the network
    } catch {
      /* only a warm-up */
    } finally {
      pc.close();
    }
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void run(), { timeout: 1000 });
  else setTimeout(() => void run(), 100);
}
