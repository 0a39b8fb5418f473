/**
 * PlatformReference: how another team's program reads a platform stack's output contract
 * (components/src/platform/contract.ts) through a `pulumi.StackReference`.
 *
 *   const platform = new PlatformReference("org/platform/prod");
 *   const provider = platform.kubernetesProvider("prod-k8s", "prod");
 *   const classes = platform.ingressClasses("prod");
 *
 * Every getter first checks the referenced stack's `contractVersion`: when it is missing or not
 * one of SUPPORTED_CONTRACT_VERSIONS the Output fails with a PlatformContractError naming the
 * stack, the version found and the versions understood. An unknown cluster (or project, ingress)
 * fails naming the ones that exist. Kubeconfigs stay secret.
 *
 * Getters return Outputs (use them as resource inputs). A program that must decide something
 * before creating resources (which cluster, whether a namespace is its own) awaits
 * `resolveContract()`, which checks the same things and rejects with the same errors.
 *
 * Not a ComponentResource: it registers nothing but the StackReference (a read), so it can be
 * created anywhere, any number of times, under any name.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  type ClusterOutput,
  type PlatformContract,
  type PlatformOutputs,
  SUPPORTED_CONTRACT_VERSIONS,
  type VSwitchOutput,
} from "./contract";

/** The contract without the secret kubeconfigs: what `resolveContract()` returns. */
export type { PlatformContract };

/** Which vSwitches (subnets) `vswitchIds` returns; every given field must match. */
export interface VSwitchFilter {
  /** Zone id, e.g. `cn-hangzhou-i`. Default: any. */
  zone?: string;
  /** `node`, `pod` or `public`. Default: any. */
  role?: string;
  /** Cluster name; must be one the stack exports. Default: any. */
  cluster?: string;
}

/**
 * A referenced stack does not hold what this library expects (contract version, cluster,
 * project, ingress). A `pulumi.RunError`, so `pulumi up` prints the message without a stack trace.
 */
export class PlatformContractError extends pulumi.RunError {
  constructor(message: string) {
    super(message);
    this.name = "PlatformContractError";
  }
}

const quoteList = (xs: readonly string[]): string =>
  xs.length === 0 ? "none" : xs.map((x) => `"${x}"`).join(", ");

/**
 * The contract version, checked: returns it when this library understands it, throws a
 * PlatformContractError naming the stack, the version found and the versions supported.
 */
export function checkContractVersion(
  stack: string,
  version: unknown,
  supported: readonly string[] = SUPPORTED_CONTRACT_VERSIONS,
): string {
  const understood = `this @kubeplat/components understands ${quoteList(supported)}`;
  if (version === undefined || version === null || version === "") {
    throw new PlatformContractError(
      `stack "${stack}" exports no platform contract version (output "contractVersion" is missing); ${understood} — is it a platform stack, deployed (pulumi up) by @kubeplat/components?`,
    );
  }
  const found = typeof version === "string" ? version : JSON.stringify(version);
  if (typeof version === "string" && supported.includes(version)) return version;
  const newest = Math.max(...supported.map(Number).filter(Number.isFinite));
  // A version this library has never heard of is newer than it, unless it is numerically older.
  const newer = !(Number(found) <= newest);
  throw new PlatformContractError(
    `stack "${stack}" exports platform contract version "${found}"; ${understood} — ${
      newer
        ? "upgrade the library"
        : "the platform stack is older than this library reads: ask the platform team to update it, or pin an older @kubeplat/components"
    }`,
  );
}

/** The named cluster of a contract, or a PlatformContractError naming the clusters that exist. */
export function clusterOf(stack: string, clusters: Record<string, ClusterOutput> | undefined, name: string) {
  const found = clusters?.[name];
  if (!found) {
    throw new PlatformContractError(
      `stack "${stack}" has no cluster "${name}"; its clusters: ${quoteList(Object.keys(clusters ?? {}).sort())}`,
    );
  }
  return found;
}

/** The vSwitches matching a filter, by allocation key; fails when none matches. */
export function filterVSwitches(
  stack: string,
  contract: Pick<PlatformContract, "vswitches" | "clusters">,
  filter: VSwitchFilter = {},
): VSwitchOutput[] {
  if (filter.cluster !== undefined) clusterOf(stack, contract.clusters, filter.cluster);
  const all = Object.entries(contract.vswitches ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hits = all
    .map(([, v]) => v)
    .filter(
      (v) =>
        (filter.zone === undefined || v.zone === filter.zone) &&
        (filter.role === undefined || v.role === filter.role) &&
        (filter.cluster === undefined || v.cluster === filter.cluster),
    );
  if (hits.length === 0) {
    const asked = Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} "${v}"`)
      .join(", ");
    const present = all.map(([, v]) => `${v.cluster}/${v.zone}/${v.role}`);
    throw new PlatformContractError(
      `stack "${stack}" has no vSwitch with ${asked || "any zone, role and cluster"}; it exports (cluster/zone/role): ${present.join(", ") || "none"}`,
    );
  }
  return hits;
}

/** A project's namespaces on a cluster (all tenant namespaces when no project is given), sorted. */
export function namespacesOf(stack: string, cluster: ClusterOutput, project?: string): string[] {
  const byProject = cluster.namespaces ?? {};
  if (project === undefined) return Object.values(byProject).flat().sort();
  const found = byProject[project];
  if (!found) {
    throw new PlatformContractError(
      `stack "${stack}" has no namespaces of project "${project}" on cluster "${cluster.name}"; projects there: ${quoteList(Object.keys(byProject).sort())}`,
    );
  }
  return [...found].sort();
}

export class PlatformReference {
  /** The referenced stack, e.g. `org/platform/prod`. */
  readonly stackName: string;
  /** The underlying stack reference (for outputs outside the contract). */
  readonly stackReference: pulumi.StackReference;
  private versionOutput?: pulumi.Output<string>;

  /**
   * @param name the fully qualified stack name (`<org>/<project>/<stack>`), also the name of
   *   the StackReference resource.
   * @param opts options of the StackReference resource (parent, provider...).
   */
  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    this.stackName = name;
    this.stackReference = new pulumi.StackReference(name, { name }, opts);
  }

  /**
   * The checked version, made on first use: a reference only constructed (or only used through
   * `resolveContract`) leaves no failed Output behind to be reported twice.
   */
  private get checkedVersion(): pulumi.Output<string> {
    this.versionOutput ??= this.stackReference
      .getOutput("contractVersion")
      .apply((v) => checkContractVersion(this.stackName, v));
    return this.versionOutput;
  }

  /** One top-level contract output, after the version check (a missing output fails clearly). */
  private field<K extends keyof PlatformOutputs>(key: K): pulumi.Output<PlatformOutputs[K]> {
    return this.afterVersionCheck(key, (v) => {
      if (v === undefined) {
        throw new PlatformContractError(
          `stack "${this.stackName}" exports no output "${key}" although its contract version requires it`,
        );
      }
      return v as PlatformOutputs[K];
    });
  }

  /**
   * `f` of a stack output once the version is known to be good. Only the version can fail
   * before `f` runs, so a wrong version is what gets reported. (One apply over both rather than
   * an apply nested in another: a throw in a nested apply leaves a promise unobserved, which
   * Node reports as a second, unhandled error.)
   */
  private afterVersionCheck<T>(
    key: keyof PlatformOutputs,
    f: (value: unknown) => T | pulumi.Output<T>,
  ): pulumi.Output<T> {
    // apply lifts an Output returned by f (kubeconfig returns a pulumi.secret).
    return pulumi
      .all([this.checkedVersion, this.stackReference.getOutput(key)])
      .apply(([, value]) => f(value)) as pulumi.Output<T>;
  }

  private clusterField<T>(cluster: string, f: (c: ClusterOutput) => T): pulumi.Output<T> {
    return this.field("clusters").apply((cs) => f(clusterOf(this.stackName, cs, cluster)));
  }

  /** The contract version of the referenced stack (one this library understands). */
  get contractVersion(): pulumi.Output<string> {
    return this.checkedVersion;
  }

  /** The environment name (`dev`, `prod`, ...). */
  get environment(): pulumi.Output<string> {
    return this.field("environment");
  }

  /** `alicloud` or `aws`. */
  get cloud(): pulumi.Output<string> {
    return this.field("cloud");
  }

  /** The cloud region, e.g. `cn-hangzhou`. */
  get region(): pulumi.Output<string> {
    return this.field("region");
  }

  /** The VPC id. */
  get vpcId(): pulumi.Output<string> {
    return this.field("vpc").apply((v) => v.id);
  }

  /** The VPC: id, primary and secondary CIDRs. */
  get vpc(): pulumi.Output<PlatformOutputs["vpc"]> {
    return this.field("vpc");
  }

  /** Every vSwitch (subnet), by allocation key `<cluster>/<zone>/<role>`. */
  get vswitches(): pulumi.Output<Record<string, VSwitchOutput>> {
    return this.field("vswitches");
  }

  /** Ids of the vSwitches matching the filter, ordered by allocation key; fails when none matches. */
  vswitchIds(filter: VSwitchFilter = {}): pulumi.Output<string[]> {
    return pulumi
      .all([this.field("vswitches"), this.field("clusters")])
      .apply(([vswitches, clusters]) =>
        filterVSwitches(this.stackName, { vswitches, clusters }, filter).map((v) => v.id),
      );
  }

  /** Names of the clusters, sorted. */
  get clusterNames(): pulumi.Output<string[]> {
    return this.field("clusters").apply((cs) => Object.keys(cs).sort());
  }

  /** One cluster's contract entry; an unknown name fails naming the clusters that exist. */
  cluster(name: string): pulumi.Output<ClusterOutput> {
    return this.clusterField(name, (c) => c);
  }

  /** The cluster's kubeconfig: always a secret Output. */
  kubeconfig(cluster: string): pulumi.Output<string> {
    // getOutput keeps the secretness of the stack's `kubeconfigs` output (secretOutputNames);
    // pulumi.secret inside the apply makes sure even when an old CLI does not report which
    // outputs are secret (wrapping the failed Output instead would leave one of its promises
    // unobserved, reported as a second error).
    return this.afterVersionCheck("kubeconfigs", (v) => {
      const ks = v as Record<string, string> | undefined;
      const found = ks?.[cluster];
      if (found === undefined || found === "") {
        throw new PlatformContractError(
          `stack "${this.stackName}" has no kubeconfig for cluster "${cluster}"; it has kubeconfigs for: ${quoteList(Object.keys(ks ?? {}).sort())}`,
        );
      }
      return pulumi.secret(found);
    });
  }

  /** IngressClass names served in the cluster. */
  ingressClasses(cluster: string): pulumi.Output<string[]> {
    return this.clusterField(cluster, (c) => [...c.ingressClasses]);
  }

  /**
   * The load balancer address (IP or host name) of one ingress of the cluster; empty until the
   * cloud assigns one. An unknown ingress fails naming the ingresses that exist.
   */
  loadBalancerAddress(cluster: string, ingressName: string): pulumi.Output<string> {
    return this.clusterField(cluster, (c) => {
      const lbs = c.loadBalancers ?? {};
      if (!(ingressName in lbs)) {
        throw new PlatformContractError(
          `cluster "${cluster}" of stack "${this.stackName}" has no ingress "${ingressName}"; its ingresses: ${quoteList(Object.keys(lbs).sort())}`,
        );
      }
      return lbs[ingressName] as string;
    });
  }

  /**
   * Tenant namespaces of the cluster, sorted: the project's when `project` is given (an unknown
   * project fails naming the projects on that cluster), else every project's.
   */
  namespaces(cluster: string, project?: string): pulumi.Output<string[]> {
    return this.clusterField(cluster, (c) => namespacesOf(this.stackName, c, project));
  }

  /** The cluster's pod CIDR (undefined for Terway / VPC CNI, whose pods take vSwitch addresses). */
  podCidr(cluster: string): pulumi.Output<string | undefined> {
    return this.clusterField(cluster, (c) => c.podCidr);
  }

  /** The cluster's service CIDR. */
  serviceCidr(cluster: string): pulumi.Output<string> {
    return this.clusterField(cluster, (c) => c.serviceCidr);
  }

  /**
   * A `@pulumi/kubernetes` Provider for the cluster, built from its (secret) kubeconfig.
   * @param name the provider's resource name.
   * @param cluster the cluster name in the referenced stack.
   * @param opts resource options of the provider. Default: none.
   * @param args further provider arguments (e.g. `namespace`); the kubeconfig is always the
   *   referenced one. Default: none.
   */
  kubernetesProvider(
    name: string,
    cluster: string,
    opts?: pulumi.CustomResourceOptions,
    args: Omit<k8s.ProviderArgs, "kubeconfig"> = {},
  ): k8s.Provider {
    return new k8s.Provider(name, { ...args, kubeconfig: this.kubeconfig(cluster) }, opts);
  }

  /**
   * The contract (without kubeconfigs), resolved now, for decisions a program makes before it
   * creates resources. Rejects with the same PlatformContractError as the getters.
   */
  async resolveContract(): Promise<PlatformContract> {
    const read = async (key: string): Promise<unknown> => {
      const d = await this.stackReference.getOutputDetails(key);
      return d.value ?? d.secretValue;
    };
    const contractVersion = checkContractVersion(this.stackName, await read("contractVersion"));
    const [environment, cloud, region, vpc, vswitches, clusters] = await Promise.all(
      ["environment", "cloud", "region", "vpc", "vswitches", "clusters"].map(read),
    );
    return {
      contractVersion,
      environment: environment as string,
      cloud: cloud as string,
      region: region as string,
      vpc: vpc as PlatformContract["vpc"],
      vswitches: (vswitches ?? {}) as PlatformContract["vswitches"],
      clusters: (clusters ?? {}) as PlatformContract["clusters"],
    };
  }
}
