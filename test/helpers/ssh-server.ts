// A real sshd on 127.0.0.1 for tests, with its own host key, one authorised client key and an
// ssh_config naming both, so `GIT_SSH_COMMAND="ssh -F <config>"` reaches it without the
// developer's ~/.ssh. Returns why not when sshd is missing or does not start: tests skip, saying so.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface SshServer {
  /** The ssh_config to pass with -F. */
  config: string;
  /** A host alias reaching the server with the authorised key. */
  host: string;
  /** A host alias reaching the server with a key it does not know. */
  unknownKeyHost: string;
  close(): Promise<void>;
}

const SSHD = ["/usr/sbin/sshd", "/usr/local/sbin/sshd"].find((p) => fs.existsSync(p));

/** Starts sshd under `dir` on an ephemeral port, or returns a sentence saying why it could not. */
export async function startSshServer(dir: string): Promise<SshServer | string> {
  if (!SSHD) return "no sshd installed (apt-get install openssh-server)";
  fs.mkdirSync(dir, { recursive: true });
  for (const key of ["host_key", "client_key", "other_key"]) {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", key, "-f", path.join(dir, key)]);
  }
  fs.copyFileSync(path.join(dir, "client_key.pub"), path.join(dir, "authorized_keys"));
  const hostKey = fs.readFileSync(path.join(dir, "host_key.pub"), "utf8").trim().split(" ").slice(0, 2).join(" ");
  fs.writeFileSync(path.join(dir, "known_hosts"), `mm-test-sshd ${hostKey}\n`);
  const port = await freePort();
  const user = os.userInfo().username;
  const sshdConfig = path.join(dir, "sshd_config");
  fs.writeFileSync(
    sshdConfig,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${path.join(dir, "host_key")}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      `AllowUsers ${user}`,
      "",
    ].join("\n"),
  );
  const config = path.join(dir, "ssh_config");
  const host = (alias: string, key: string) =>
    [`Host ${alias}`, "  HostName 127.0.0.1", `  Port ${port}`, `  User ${user}`, `  IdentityFile ${path.join(dir, key)}`, "  IdentitiesOnly yes", "  IdentityAgent none", "  HostKeyAlias mm-test-sshd", `  UserKnownHostsFile ${path.join(dir, "known_hosts")}`, "  GlobalKnownHostsFile /dev/null", "  StrictHostKeyChecking yes", "  BatchMode yes", ""].join("\n");
  fs.writeFileSync(config, host("mm-test-ssh", "client_key") + host("mm-test-ssh-unknown-key", "other_key"));

  const child = spawn(SSHD, ["-D", "-e", "-f", sshdConfig], { stdio: ["ignore", "ignore", "pipe"] });
  let said = "";
  child.stderr!.on("data", (d: Buffer) => (said += d.toString()));
  const up = await listening(child, port);
  if (!up) {
    child.kill("SIGKILL");
    return `sshd did not start: ${said.trim().split("\n").slice(-2).join("; ") || "no message"}`;
  }
  return {
    config,
    host: "mm-test-ssh",
    unknownKeyHost: "mm-test-ssh-unknown-key",
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// True once the port accepts connections, false if sshd exits or 5 s pass first.
async function listening(child: ChildProcess, port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return false;
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
