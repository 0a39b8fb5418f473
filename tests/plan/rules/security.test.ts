import {
  checkDeletionProtection,
  checkPublicApiServer,
  checkSecretOutputs,
  checkSecretsEncryption,
  checkSecurity,
  findPlainSensitiveOutputs,
  isOpenCidr,
  type SecurityFacts,
  securityRules,
  sensitiveReason,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const cluster = (f: Partial<SecurityFacts> = {}): SecurityFacts => ({
  resource: "prod",
  path: "clusters[0]",
  name: "prod",
  ...f,
});

describe("security/deletion-protection", () => {
  it("production cluster without deletion protection nor protect: two mandatory diagnostics", () => {
    const ds = checkDeletionProtection(
      cluster({ production: true, deletionProtection: false, protect: false }),
    );
    expect(ds.map((d) => [d.rule, d.severity, d.path])).toEqual([
      ["security/deletion-protection", "mandatory", "clusters[0].deletionProtection"],
      ["security/deletion-protection", "mandatory", "clusters[0].protect"],
    ]);
    expect(ds[0]?.message).toContain('production cluster "prod": deletionProtection false');
    expect(ds[1]?.message).toContain('production cluster "prod": protect false');
  });

  it("is advisory outside production", () => {
    const [d] = checkDeletionProtection(cluster({ deletionProtection: false, protect: true }));
    expect(d?.severity).toBe("advisory");
    expect(d?.message).toContain('cluster "prod": deletionProtection false');
  });

  it("checks the cluster's load balancers with their own resource and path", () => {
    const [d] = checkDeletionProtection(
      cluster({
        production: true,
        deletionProtection: true,
        protect: true,
        loadBalancers: [
          {
            resource: "prod-ingress-slb",
            path: "",
            name: "lb-123",
            deletionProtection: false,
            protect: true,
          },
          { resource: "prod-api-slb", path: "", name: "lb-456", deletionProtection: true, protect: true },
        ],
      }),
    );
    expect(d).toMatchObject({
      rule: "security/deletion-protection",
      severity: "mandatory",
      resource: "prod-ingress-slb",
      path: "deletionProtection",
    });
    expect(d?.message).toContain('production load balancer "lb-123": deletionProtection false');
  });

  it("a load balancer's own production flag wins", () => {
    const [d] = checkDeletionProtection({
      resource: "stack",
      path: "",
      loadBalancers: [{ resource: "lb", path: "", production: true, protect: false }],
    });
    expect(d?.severity).toBe("mandatory");
  });

  it("compliant and unknown values yield nothing", () => {
    expect(
      checkDeletionProtection(cluster({ production: true, deletionProtection: true, protect: true })),
    ).toEqual([]);
    expect(checkDeletionProtection(cluster({ production: true }))).toEqual([]);
    expect(
      checkDeletionProtection(cluster({ production: true, loadBalancers: [{ resource: "lb", path: "" }] })),
    ).toEqual([]);
  });
});

describe("security/secrets-encryption", () => {
  it("production cluster without a KMS key is mandatory", () => {
    const [d, ...rest] = checkSecretsEncryption(
      cluster({ production: true, edition: "pro", secretsEncrypted: false }),
    );
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: "security/secrets-encryption",
      severity: "mandatory",
      path: "clusters[0].secretsEncrypted",
    });
    expect(d?.message).toContain(
      'production cluster "prod": Kubernetes Secrets are not encrypted with a KMS key',
    );
  });

  it("is advisory outside production", () => {
    expect(checkSecretsEncryption(cluster({ secretsEncrypted: false }))[0]?.severity).toBe("advisory");
  });

  it("a standard ACK cluster cannot encrypt secrets, whatever else is set", () => {
    const [d] = checkSecretsEncryption(cluster({ production: true, edition: "standard" }));
    expect(d).toMatchObject({
      rule: "security/secrets-encryption",
      severity: "mandatory",
      path: "clusters[0].edition",
    });
    expect(d?.message).toContain("edition standard");
    expect(d?.message).toContain("ACK Pro");
  });

  it("compliant and unknown values yield nothing", () => {
    expect(
      checkSecretsEncryption(
        cluster({ production: true, edition: "pro", secretsEncrypted: true, secretsEncryptionKey: "key-1" }),
      ),
    ).toEqual([]);
    expect(checkSecretsEncryption(cluster({ production: true, secretsEncrypted: true }))).toEqual([]);
    expect(checkSecretsEncryption(cluster({ production: true }))).toEqual([]);
  });
});

describe("security/public-api-server", () => {
  it("a public endpoint open to 0.0.0.0/0 is mandatory in production and names the range", () => {
    const [d] = checkPublicApiServer(
      cluster({ production: true, publicEndpoint: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] }),
    );
    expect(d).toMatchObject({
      rule: "security/public-api-server",
      severity: "mandatory",
      path: "clusters[0].publicAccessCidrs",
    });
    expect(d?.message).toContain("open to 0.0.0.0/0");
    expect(d?.message).toContain("[203.0.113.0/24, 0.0.0.0/0]");
  });

  it("a public endpoint with no allow-list; ::/0 counts as open; advisory in dev", () => {
    const [d] = checkPublicApiServer(cluster({ publicEndpoint: true, publicAccessCidrs: [] }));
    expect(d?.severity).toBe("advisory");
    expect(d?.message).toContain("no allow-list");
    expect(
      checkPublicApiServer(cluster({ publicEndpoint: true, publicAccessCidrs: ["::/0"] }))[0]?.message,
    ).toContain("open to ::/0");
  });

  it("compliant: no public endpoint, or restricted to known ranges", () => {
    expect(
      checkPublicApiServer(cluster({ production: true, publicEndpoint: false, publicAccessCidrs: [] })),
    ).toEqual([]);
    expect(
      checkPublicApiServer(
        cluster({ production: true, publicEndpoint: true, publicAccessCidrs: ["203.0.113.0/24"] }),
      ),
    ).toEqual([]);
  });

  it("unknown values yield nothing, and an unknown entry never hides a known open one", () => {
    expect(checkPublicApiServer(cluster({ production: true, publicEndpoint: true }))).toEqual([]);
    expect(checkPublicApiServer(cluster({ production: true, publicAccessCidrs: [] }))).toEqual([]);
    expect(
      checkPublicApiServer(
        cluster({ production: true, publicEndpoint: true, publicAccessCidrs: [undefined] }),
      ),
    ).toEqual([]);
    expect(
      checkPublicApiServer(
        cluster({ production: true, publicEndpoint: true, publicAccessCidrs: [undefined, "0.0.0.0/0"] }),
      ),
    ).toHaveLength(1);
  });

  it("property: only prefix-0 ranges are open", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 32 }), (ip, prefix) => {
        // a non-canonical text does not parse and is not "open" either
        expect(isOpenCidr(`${ip}/${prefix}`)).toBe(false);
      }),
    );
    expect(isOpenCidr("0.0.0.0/0")).toBe(true);
  });
});

describe("security/secret-outputs", () => {
  const out = (name: string, secret?: boolean, sensitive?: boolean) => ({
    resource: "prod",
    path: `outputs.${name}`,
    name,
    secret,
    sensitive,
  });

  it("flags plain kubeconfig, token and key outputs, naming them", () => {
    const ds = checkSecretOutputs({
      resource: "prod",
      path: "",
      outputs: [
        out("kubeconfig", false),
        out("adminToken", false),
        out("clientKey", false),
        out("secretAccessKey", false),
      ],
    });
    expect(ds.map((d) => [d.rule, d.severity, d.path])).toEqual([
      ["security/secret-outputs", "mandatory", "outputs.kubeconfig"],
      ["security/secret-outputs", "mandatory", "outputs.adminToken"],
      ["security/secret-outputs", "mandatory", "outputs.clientKey"],
      ["security/secret-outputs", "mandatory", "outputs.secretAccessKey"],
    ]);
    expect(ds[0]?.message).toContain('output "kubeconfig" (kubeconfig) is not a secret');
    expect(ds[2]?.message).toContain("(client key)");
  });

  it("secret outputs, references to secrets and unknown secrecy pass", () => {
    expect(
      findPlainSensitiveOutputs([
        out("kubeconfig", true),
        out("kmsKeyId", false),
        out("keyName", false),
        out("kubeconfigSecretName", false),
        out("encryptionProviderKey", false),
        out("clusterCaCert", false),
        out("vpcId", false),
        out("kubeconfig"),
      ]),
    ).toEqual([]);
  });

  it("the sensitive hint overrides the name", () => {
    expect(findPlainSensitiveOutputs([out("bootstrapBlob", false, true)])[0]?.message).toContain(
      "marked sensitive",
    );
    expect(findPlainSensitiveOutputs([out("tokenPolicy", false, false)])).toEqual([]);
  });

  it("sensitive names in every spelling", () => {
    for (const n of [
      "KUBECONFIG",
      "admin_kubeconfig",
      "cluster.kubeconfig",
      "db-password",
      "privateKey",
      "apiKey",
    ]) {
      expect(sensitiveReason(n), n).toBeDefined();
    }
  });

  it("property: a reference suffix makes any sensitive name a reference", () => {
    const word = fc.constantFrom("kubeconfig", "token", "password", "clientKey", "secret");
    const suffix = fc.constantFrom("Name", "Id", "Arn", "Path", "Expiry");
    fc.assert(
      fc.property(word, suffix, (w, s) => {
        expect(sensitiveReason(w)).toBeDefined();
        expect(sensitiveReason(`${w}${s}`)).toBeUndefined();
      }),
    );
  });
});

describe("securityRules", () => {
  it("has one entry per implemented security id and checkSecurity runs them all", () => {
    expect(Object.keys(securityRules).sort()).toEqual([
      "security/deletion-protection",
      "security/public-api-server",
      "security/secret-outputs",
      "security/secrets-encryption",
    ]);
    const ds = checkSecurity(
      cluster({
        production: true,
        deletionProtection: false,
        secretsEncrypted: false,
        publicEndpoint: true,
        publicAccessCidrs: [],
        outputs: [{ resource: "prod", path: "kubeconfig", name: "kubeconfig", secret: false }],
      }),
    );
    expect(new Set(ds.map((d) => d.rule))).toEqual(new Set(Object.keys(securityRules)));
  });

  it("fully unknown facts yield nothing", () => {
    expect(checkSecurity({ resource: "x", path: "" })).toEqual([]);
  });
});
