// A loopback HTTP + WebSocket server for the Stately inspector: its page embeds the inspector
// UI (stately.ai/inspect) and forwards every message it receives over the WebSocket into it.
// We run our own rather than @statelyai/inspect/server because that one cannot report its port
// or a failed listen, and its stop() leaves connected browser tabs open, which keeps the
// process alive; close() here ends every connection.
import http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { UsageError } from "../errors.ts";
import { bridgePage } from "./inspector-page.ts";

export interface InspectorRelay {
  /** The page to open in a browser. */
  url: string;
  /** Sends one serialised inspection event to every open page, and to pages opened later. */
  broadcast(message: string, kind: "registration" | "update"): void;
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
// A page opened late still needs every actor's registration; other events are only history.
const RECENT_UPDATES = 500;

export function startRelay(port: number): Promise<InspectorRelay> {
  const registrations: string[] = [];
  const updates: string[] = [];
  const pages = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((req, res) => {
    const known = req.url === "/" || req.url?.startsWith("/?");
    res.writeHead(known ? 200 : 404, { "content-type": "text/html; charset=utf-8" }).end(known ? bridgePage() : "not found");
  });
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Only our own page may listen: any other site open in the browser could otherwise read the run.
    if (req.headers.origin !== undefined && req.headers.origin !== `http://${req.headers.host}`) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      pages.add(ws);
      ws.on("close", () => pages.delete(ws));
      for (const message of [...registrations, ...updates]) ws.send(message);
    });
  });
  const relay: InspectorRelay = {
    url: "",
    broadcast(message, kind) {
      if (kind === "registration") registrations.push(message);
      else if (updates.push(message) > RECENT_UPDATES) updates.shift();
      for (const ws of pages) if (ws.readyState === ws.OPEN) ws.send(message);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of pages) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`the inspector cannot listen on ${HOST}:${port}: ${error.code ?? error.message}`, "choose another port")),
    );
    server.listen(port, HOST, () => {
      const address = server.address();
      relay.url = `http://${HOST}:${typeof address === "object" && address ? address.port : port}/`;
      resolve(relay);
    });
  });
}
