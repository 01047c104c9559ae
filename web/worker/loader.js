// The training worker's loader: downloads the worker's wasm, telling the page how far it is
// (`{Loading: {loaded, total}}`, read as `FromWorker::Loading`), then starts it. `cargo xtask
// dist` writes it over trunk's one-line loader of each build of the worker, with the build's name
// and its wasm's size for the placeholders (the count the stream below sees, also when the
// server compresses).
const name = '__NAME__';
importScripts(`./${name}.js`);
(async () => {
  const total = __BYTES__;
  const response = await fetch(`./${name}_bg.wasm`);
  if (!response.ok || !response.body) throw new Error(`the training worker's code did not load (HTTP ${response.status})`);
  let loaded = 0;
  let posted = 0;
  const reader = response.body.getReader();
  const counted = new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        postMessage({ Loading: { loaded, total } });
        return controller.close();
      }
      loaded += value.byteLength;
      const now = Date.now();
      if (now - posted >= 100) {
        postMessage({ Loading: { loaded, total } });
        posted = now;
      }
      controller.enqueue(value);
    },
  });
  const exports = await wasm_bindgen({ module_or_path: new Response(counted, { headers: { 'Content-Type': 'application/wasm' } }) });
  // The wasm's memory, where the benchmark reads its size (it only ever grows: its high mark).
  self.occamMemory = exports.memory;
})().catch((error) => { setTimeout(() => { throw error; }); });
