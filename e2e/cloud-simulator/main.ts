/**
 * The cloud simulator: a Pulumi resource provider plugin standing in for the `aws` and `alicloud`
 * providers in the end-to-end suite (there is no cloud account there). The harness installs it on
 * PATH as `pulumi-resource-aws` and `pulumi-resource-alicloud`; argv[2] says which one it is.
 *
 * It answers Check (autonaming, output-only properties refused), Diff (a detailed, per-property
 * diff with the providers' replace-on-change properties, tables.ts), Create/Update/Delete/Read
 * (inputs plus deterministic computed outputs, cloud.ts) and Invoke (the data sources the
 * platform calls). It keeps no state of its own: the engine's state is the only record.
 *
 * Never shipped: it lives under e2e/ and no package's `files` include it.
 */
import { createRequire } from "node:module";
import * as provider from "@pulumi/pulumi/provider";
import { computed, invoke } from "./cloud";
import { type DiffKind, diff } from "./diff";
import { creatorAssociation, grant, revoke } from "./eksAccess";
import { AUTONAME, DELETION_PROTECTION, OUTPUT_ONLY } from "./tables";
import { getPath, hash, isSet, logicalName, reveal, typeOf, type Value } from "./values";

type Obj = Record<string, Value>;

const cloud = process.argv[2];
if (cloud !== "aws" && cloud !== "alicloud") {
  process.stderr.write("usage: cloud-simulator <aws|alicloud> [engine address]\n");
  process.exit(2);
}

// Report the version of the SDK the program uses, as the real plugin would.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const sdkVersion: string = createRequire(__filename)(`@pulumi/${cloud}/package.json`).version;

let region = cloud === "aws" ? "us-east-1" : "cn-hangzhou";
const lastDiff = new Map<string, Record<string, DiffKind>>();

/** Outputs minus the simulator's computed keys: which properties were computed for this type. */
function computedKeys(type: string, olds: Obj, urn: string, id: string): Set<string> {
  const { outs } = computed(type, olds, { urn, region, olds: { ...olds, __id: id } });
  return new Set(Object.keys(outs));
}

const sim: provider.Provider = {
  version: sdkVersion,

  async check(urn, olds: Obj, news: Obj) {
    const type = typeOf(urn);
    const inputs: Obj = { ...news };
    const failures: provider.CheckFailure[] = [];
    for (const path of OUTPUT_ONLY[type] ?? []) {
      if (isSet(getPath(news, path))) {
        failures.push({
          property: path,
          reason: `${path}: computed attribute, cannot be set (the provider reports it; it is not an argument of ${type})`,
        });
      }
    }
    const auto = AUTONAME[type];
    if (auto && !isSet(news[auto]) && !isSet(news[`${auto}Prefix`])) {
      inputs[auto] = olds?.[auto] ?? `${logicalName(urn)}-${hash(urn).slice(0, 7)}`;
    }
    return { inputs, failures };
  },

  async diff(id, urn, olds: Obj, news: Obj) {
    const type = typeOf(urn);
    const d = diff(type, olds, news, computedKeys(type, olds, urn, id));
    lastDiff.set(urn, d.detailed);
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
  },

  async create(urn, inputs: Obj) {
    const type = typeOf(urn);
    const { id, outs } = computed(type, inputs, { urn, region });
    await sideEffects("create", type, inputs);
    return { id, outs: plain({ ...outs, ...inputs, ...merged(type, outs, inputs) }) };
  },

  async update(id, urn, olds: Obj, news: Obj) {
    const type = typeOf(urn);
    const { outs } = computed(type, news, { urn, region, olds: { ...olds, __id: id } });
    return { outs: plain({ ...outs, ...news, ...merged(type, outs, news) }) };
  },

  async read(id, _urn, props?: Obj) {
    return { id, props: props ?? {} };
  },

  async delete(id, urn, props: Obj) {
    const type = typeOf(urn);
    const guard = DELETION_PROTECTION[type];
    if (guard && (reveal(props) as Obj)[guard[0]] === guard[1]) {
      throw new Error(`${type} ${id}: deletion protection is on (${guard[0]}); turn it off before deleting`);
    }
    await sideEffects("delete", type, props);
  },

  async invoke(token, args: Obj) {
    return { outputs: plain(invoke(token, reveal(args) as Obj, region)) };
  },
};

/** Without undefined members: protobuf's Struct has no undefined. */
const plain = (v: Obj): Obj => JSON.parse(JSON.stringify(v)) as Obj;

/** What a resource does inside the cluster: EKS access (eksAccess.ts). */
async function sideEffects(op: "create" | "delete", type: string, props: Obj): Promise<void> {
  const p = reveal(props) as Obj;
  if (type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation") {
    const a = p as unknown as Parameters<typeof grant>[0];
    await (op === "create" ? grant(a) : revoke(a));
  }
  if (type === "aws:eks/cluster:Cluster") {
    const access = (p.accessConfig ?? {}) as { bootstrapClusterCreatorAdminPermissions?: boolean };
    if (access.bootstrapClusterCreatorAdminPermissions) {
      const a = creatorAssociation(String(p.name));
      await (op === "create" ? grant(a) : revoke(a));
    }
  }
}

/** Blocks where the provider adds computed attributes to what the program set. */
function merged(type: string, outs: Obj, _inputs: Obj): Obj {
  return type === "aws:eks/cluster:Cluster" ? { vpcConfig: outs.vpcConfig } : {};
}

// The Node provider server has no detailed diff and hides Configure's arguments: add both to
// its gRPC service. grpc-js reads a service's handlers when it is added.
const grpc = pulumiRequire("@grpc/grpc-js");
const provproto = pulumiRequire("./proto/provider_pb");
const KINDS: Record<DiffKind, number> = {
  add: provproto.PropertyDiff.Kind.ADD,
  "add-replace": provproto.PropertyDiff.Kind.ADD_REPLACE,
  update: provproto.PropertyDiff.Kind.UPDATE,
  "update-replace": provproto.PropertyDiff.Kind.UPDATE_REPLACE,
  delete: provproto.PropertyDiff.Kind.DELETE,
  "delete-replace": provproto.PropertyDiff.Kind.DELETE_REPLACE,
};
/** The parts of the gRPC messages (provider_pb) touched here. */
interface Request {
  getUrn(): string;
  getArgs(): { toJavaScript(): Record<string, unknown> } | undefined;
  getVariablesMap?(): { get(key: string): string | undefined };
}
interface DiffResponse {
  setHasdetaileddiff(v: boolean): void;
  getDetaileddiffMap(): { set(key: string, value: unknown): void };
  setDiffsList(v: string[]): void;
}
type Callback = (err: unknown, resp?: unknown) => void;
type Handler = (call: { request: Request }, cb: Callback) => void;
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service: unknown, impl: Record<string, Handler>) {
  const diffImpl = (impl.diff as Handler).bind(impl);
  impl.diff = (call, cb) =>
    diffImpl(call, (err, r) => {
      const resp = r as DiffResponse | undefined;
      const detailed = lastDiff.get(call.request.getUrn());
      if (resp && detailed) {
        resp.setHasdetaileddiff(true);
        const map = resp.getDetaileddiffMap();
        for (const [path, kind] of Object.entries(detailed)) {
          const pd = new provproto.PropertyDiff();
          pd.setKind(KINDS[kind]);
          pd.setInputdiff(true);
          map.set(path, pd);
        }
        const changed = Object.keys(detailed).map((p) => p.split(".")[0] ?? p);
        resp.setDiffsList([...new Set(changed)]);
      }
      cb(err, resp);
    });
  const configureImpl = (impl.configure as Handler).bind(impl);
  impl.configure = (call, cb) => {
    const args = call.request.getArgs()?.toJavaScript() ?? {};
    const vars = call.request.getVariablesMap?.();
    const r = args.region ?? vars?.get(`${cloud}:config:region`);
    if (typeof r === "string" && r) region = r;
    configureImpl(call, cb);
  };
  return addService.call(this, service, impl);
};

provider.main(sim, process.argv.slice(3)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
