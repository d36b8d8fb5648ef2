// Starts a kintone-emulator (built by `npm test` into .bin/) for one test
// file and returns its base URL. The emulator listens on 127.0.0.1; the
// official JavaScript client accepts plain http only for the host name
// "localhost", so the URL handed to the clients says localhost.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
export const emulatorBin = path.join(here, "..", ".bin", "kintone-emulator");
export const cliBin = path.join(here, "..", "node_modules", ".bin", "cli-kintone");

export async function startEmulator(args = []) {
  const proc = spawn(emulatorBin, ["--listen", "127.0.0.1:0", "--quiet", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: proc.stdout });
  const [first] = await Promise.race([
    once(lines, "line"),
    once(proc, "exit").then(([code]) => {
      throw new Error(`kintone-emulator exited with ${code} before printing its URL`);
    }),
  ]);
  const url = new URL(first.trim());
  url.hostname = "localhost";
  const baseUrl = url.toString().replace(/\/$/, "");
  return {
    baseUrl,
    async stop() {
      proc.kill("SIGTERM");
      const [code] = await once(proc, "exit");
      if (code !== 0) throw new Error(`kintone-emulator exited with ${code} on SIGTERM`);
    },
    // control calls the emulator's test API under /_emulator/.
    async control(method, p, body) {
      const res = await fetch(`http://127.0.0.1:${url.port}/_emulator/${p}`, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} /_emulator/${p}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
  };
}
