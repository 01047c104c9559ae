// occam's embed helper, for the page that embeds a demo: sizes each `iframe[data-occam]` to its
// demo's content, so that the frame never scrolls inside. Without it the frames still work, at
// the height their snippet gives them. It listens only to frames it finds on the page, and only
// to messages from their own origin.
(() => {
  if (window.occamEmbed) return;
  window.occamEmbed = true;
  const frames = () => Array.from(document.querySelectorAll('iframe[data-occam]'));
  const originOf = (frame) => { try { return new URL(frame.src, location.href).origin; } catch { return null; } };
  addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.occam !== 'height' || !Number.isFinite(data.height) || data.height <= 0) return;
    const frame = frames().find((frame) => frame.contentWindow === event.source && originOf(frame) === event.origin);
    if (frame) frame.style.height = `${Math.ceil(data.height)}px`;
  });
  // A frame that loaded before this script ran has told its height to nobody: ask again.
  const ask = (frame) => frame.contentWindow?.postMessage({ occam: 'measure' }, originOf(frame) ?? '*');
  const start = () => frames().forEach((frame) => { ask(frame); frame.addEventListener('load', () => ask(frame)); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
