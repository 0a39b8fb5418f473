/**
 * The component package run the way Pulumi runs it for a program in another language: the
 * Node.js language host's plugin runner (`@pulumi/pulumi/cmd/run-plugin`) on the package
 * directory, from the consumer's working directory (the C# example, which has no tsconfig.json),
 * then the engine's `GetSchema` call over gRPC.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { PACKAGE_DIR, SCHEMA_PATH } from "@kubeplat/components/internal/package";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const CONSUMER_DIR = path.join(ROOT, "examples/csharp-platform");
// The gRPC client the SDK itself uses, resolved from the SDK.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const services = sdkRequire(
  "./proto/provider_grpc_pb",
) as typeof import("@pulumi/pulumi/proto/provider_grpc_pb");
const messages = sdkRequire("./proto/provider_pb") as typeof import("@pulumi/pulumi/proto/provider_pb");

describe("the package served by Pulumi's Node.js plugin runner", () => {
  let child: ChildProcess | undefined;
  let port = 0;
  let stderr = "";

  beforeAll(async () => {
    child = spawn(process.execPath, [sdkRequire.resolve("./cmd/run-plugin"), PACKAGE_DIR], {
      cwd: CONSUMER_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    // A plugin announces its gRPC port as the first line of its standard output.
    port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child?.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const line = out.split("\n")[0] ?? "";
        if (out.includes("\n") && /^\d+$/.test(line.trim())) resolve(Number(line.trim()));
      });
      child?.on("exit", (code) =>
        reject(new Error(`the plugin exited (${code}) before serving:\n${stderr}`)),
      );
    });
  }, 120_000);

  afterAll(() => {
    child?.kill();
  });

  it("starts from a consumer directory without a tsconfig.json and serves the committed schema", async () => {
    const client = new services.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    const served = await new Promise<string>((resolve, reject) => {
      client.getSchema(new messages.GetSchemaRequest(), (err, res) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(res.getSchema()),
      );
    });
    client.close();
    expect(JSON.parse(served)).toEqual(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")));
  }, 120_000);
});
