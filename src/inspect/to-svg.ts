// Renders DOT to SVG in-process with the Graphviz WebAssembly build, so `export --format svg`
// needs no Graphviz installed. Loaded only for svg: the module carries a large wasm payload.
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  const svg = viz.renderString(dot, { format: "svg", engine: "dot" });
  return svg.endsWith("\n") ? svg : `${svg}\n`;
}
