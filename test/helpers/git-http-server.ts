// A real smart-HTTP git server for tests: git's own `git http-backend` CGI behind node:http on
// 127.0.0.1, so pushes are judged by git itself rather than by a mock that agrees with us.
import { execFileSync, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gunzipSync } from "node:zlib";

export interface GitHttpServer {
  /** The clone URL of `<root>/<repoName>` (no credentials in it). */
  url(repoName: string): string;
  close(): Promise<void>;
  /** Every request received, in order; `authorization` says whether credentials came with it. */
  requests: Array<{ method: string; url: string; authorization: boolean }>;
}

export interface GitHttpServerOptions {
  /** Directory holding the bare repositories (GIT_PROJECT_ROOT). */
  root: string;
  /** When set, every request needs these Basic credentials or gets 401. */
  auth?: { username: string; password: string };
  /** Called as each request arrives, while the client that sent it waits for the answer. */
  onRequest?: (request: GitHttpServer["requests"][number]) => void;
}

const BACKEND = path.join(execFileSync("git", ["--exec-path"], { encoding: "utf8" }).trim(), "git-http-backend");

/** Creates `<root>/<name>` as a bare repository that accepts anonymous pushes over HTTP. */
export function initBareRepo(root: string, name: string): string {
  const dir = path.join(root, name);
  execFileSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", dir]);
  // http-backend only enables receive-pack by itself when REMOTE_USER is set.
  execFileSync("git", ["--git-dir", dir, "config", "http.receivepack", "true"]);
  return dir;
}

/** Starts the server on an ephemeral port. */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: GitHttpServer["requests"] = [];
  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization !== undefined };
    requests.push(request);
    options.onRequest?.(request);
    const user = authenticate(req.headers.authorization, options.auth);
    if (user === null) {
      req.resume();
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"', "Content-Type": "text/plain" });
      res.end("authentication required\n");
      return;
    }
    readBody(req)
      .then((body) => runBackend(req, res, body, options.root, user))
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end(`git-http-server: ${String(err)}\n`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (repoName) => `http://127.0.0.1:${port}/${repoName}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

// Returns the user name when the request may proceed ("" when no auth is configured), else null.
function authenticate(header: string | undefined, auth: GitHttpServerOptions["auth"]): string | null {
  if (!auth) return "";
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  return decoded === `${auth.username}:${auth.password}` ? auth.username : null;
}

// The whole body, inflated: git clients gzip large upload-pack requests, and handing the CGI the
// plain bytes with an exact CONTENT_LENGTH is simpler than forwarding the encoding.
async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = (req.headers["content-encoding"] ?? "").toLowerCase();
  return encoding === "gzip" || encoding === "x-gzip" ? gunzipSync(raw) : raw;
}

// Runs one CGI request and turns its `Status:`/header block into the HTTP response head.
function runBackend(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, root: string, user: string): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root, // keeps the developer's ~/.gitconfig out of the server
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    CONTENT_LENGTH: String(body.length),
    REMOTE_ADDR: "127.0.0.1",
    ...(user ? { REMOTE_USER: user } : {}),
    ...(req.headers["git-protocol"] ? { HTTP_GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(BACKEND, [], { env, stdio: ["pipe", "pipe", "pipe"] });
    let head = Buffer.alloc(0);
    let headDone = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const split = findHeaderEnd(head);
      if (split === null) return;
      headDone = true;
      writeCgiHead(res, head.subarray(0, split.at).toString("latin1"));
      res.write(head.subarray(split.at + split.length));
    });
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", () => {
      if (!headDone) writeCgiHead(res, head.toString("latin1"));
      res.end();
      resolve();
    });
    child.stdin.on("error", () => {}); // the backend may exit before reading a refused request
    child.stdin.end(body);
  });
}

function findHeaderEnd(buf: Buffer): { at: number; length: number } | null {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, length: 4 };
  return lf !== -1 ? { at: lf, length: 2 } : null;
}

function writeCgiHead(res: http.ServerResponse, block: string): void {
  let status = 200;
  let message = "OK";
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") {
      status = Number.parseInt(value, 10);
      message = value.slice(String(status).length).trim() || http.STATUS_CODES[status] || "";
    } else {
      headers[name] = value;
    }
  }
  res.writeHead(status, message, headers);
}
