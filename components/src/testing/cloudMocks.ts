/**
 * What the offline preview answers in place of the clouds: deterministic placeholder values for
 * the outputs only a provider knows (ids, endpoints, certificates, ARNs) and for the data
 * sources the components read (kubeconfig, SSM parameters). Placeholders are recognisable
 * (`*.offline.invalid`, `offline-…`) so nobody mistakes them for real addresses.
 */
import { createHash } from "node:crypto";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";

const ACCOUNT = "000000000000";
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nOFFLINE PREVIEW\n-----END CERTIFICATE-----\n").toString(
  "base64",
);

export function offlineKubeconfig(cluster: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    `clusters: [{name: ${cluster}, cluster: {server: "https://${cluster}.offline.invalid:6443", certificate-authority-data: ${CA}}}]`,
    `contexts: [{name: ${cluster}, context: {cluster: ${cluster}, user: ${cluster}}}]`,
    `current-context: ${cluster}`,
    `users: [{name: ${cluster}, user: {token: offline-preview}}]`,
    "",
  ].join("\n");
}

/**
 * A real (throwaway, self-signed, ECDSA P-256) certificate the offline preview hands every
 * `tls` certificate: the self-managed cluster's documents parse it to pin the CA by hash. Its
 * key was never kept.
 */
export const OFFLINE_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUOH1LBD4M2ssvCrJ9uUjTPCOMtbgwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKa3ViZXJuZXRlczAgFw0yNjExMjgwMTU3MTVaGA8yMTI2MTEw
NDAxNTcxNVowFTETMBEGA1UEAwwKa3ViZXJuZXRlczBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABNhAd0/wJdpc3bA4mh1veFpJSV3odjOWSY+CqXerTbIfkJqOlviO
C0SVmeg8rUIJajid2ubjv9Y6Dhc5vT0+Vy6jYzBhMB0GA1UdDgQWBBQXXgjsBWyI
5lYkN/qXSGPA1HMsxjAfBgNVHSMEGDAWgBQXXgjsBWyI5lYkN/qXSGPA1HMsxjAP
BgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBhjAKBggqhkjOPQQDAgNIADBF
AiEAgn4dYuDTgqtjvpDeROPoQPsk3b/pAGG53mHmmMzc2C8CIEozl/McXAVDyKAH
ufvmLmT4wslGXgm9CYU2exEChds7
-----END CERTIFICATE-----
`;

const offlinePem = (kind: string, n: string) =>
  `-----BEGIN ${kind}-----\nOFFLINE PREVIEW ${n}\n-----END ${kind}-----\n`;

/** Provider outputs for a resource registration. */
export function offlineState(args: MockResourceArgs): Record<string, unknown> | undefined {
  const n = args.name;
  switch (args.type) {
    case "alicloud:cs/managedKubernetes:ManagedKubernetes":
      return {
        slbId: `offline-lb-${n}`,
        securityGroupId: `offline-sg-${n}`,
        workerRamRoleName: `offline-worker-role-${n}`,
        rrsaMetadata: args.inputs.enableRrsa
          ? {
              enabled: true,
              rrsaOidcIssuerUrl: `https://oidc-ack.offline.invalid/${n}`,
              ramOidcProviderArn: `acs:ram::${ACCOUNT}:oidc-provider/ack-rrsa-${n}`,
              ramOidcProviderName: `ack-rrsa-${n}`,
            }
          : undefined,
        connections: {
          apiServerIntranet: `https://${n}.internal.offline.invalid:6443`,
          apiServerInternet: args.inputs.slbInternetEnabled ? `https://${n}.offline.invalid:6443` : undefined,
        },
      };
    case "aws:eks/cluster:Cluster":
      return {
        arn: `arn:aws:eks:offline:${ACCOUNT}:cluster/${args.inputs.name ?? n}`,
        endpoint: `https://${n}.eks.offline.invalid`,
        certificateAuthority: { data: CA },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.offline.invalid/id/${n}` }] }],
        vpcConfig: { ...(args.inputs.vpcConfig as object), clusterSecurityGroupId: `offline-sg-${n}` },
      };
    case "tls:index/privateKey:PrivateKey":
      return {
        privateKeyPem: offlinePem("PRIVATE KEY", n),
        privateKeyPemPkcs8: offlinePem("PRIVATE KEY", n),
        publicKeyPem: offlinePem("PUBLIC KEY", n),
      };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: OFFLINE_CERT_PEM };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: offlinePem("CERTIFICATE REQUEST", n) };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT}:role/${n}`, name: n };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:offline:${ACCOUNT}:key/${n}` };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return {
        arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(args.inputs.url ?? n).replace("https://", "")}`,
      };
    case "aws:ec2/eip:Eip":
      return { allocationId: `offline-eipalloc-${n}`, publicIp: "192.0.2.1" };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    case "aws:eks/nodeGroup:NodeGroup":
      return { nodeGroupName: `${n}-offline`, arn: `arn:aws:eks:offline:${ACCOUNT}:nodegroup/${n}` };
    case "alicloud:vpc/eipAddress:EipAddress":
      return { ipAddress: "192.0.2.1" };
    default:
      return undefined;
  }
}

/** Results of data-source calls. */
export function offlineCall(args: MockCallArgs): Record<string, unknown> | undefined {
  switch (args.token) {
    case "alicloud:cs/getClusterCredential:getClusterCredential":
      return { kubeConfig: offlineKubeconfig(String(args.inputs.clusterId ?? "cluster")) };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      // The identity running the program: an assumed-role session, as `aws sts get-caller-identity` shows one.
      return {
        accountId: ACCOUNT,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/offline-deployer/offline-preview`,
        userId: "AROAOFFLINEPREVIEW:offline-preview",
        id: ACCOUNT,
      };
    case "aws:iam/getRole:getRole":
      return { name: args.inputs.name, arn: `arn:aws:iam::${ACCOUNT}:role/${String(args.inputs.name)}` };
    case "aws:eks/getAddonVersion:getAddonVersion":
      // Resolved by AWS at deploy time: the preview names what will be asked for.
      return {
        ...args.inputs,
        version: `(${args.inputs.mostRecent ? "latest" : "AWS default"} ${args.inputs.addonName} for ${args.inputs.kubernetesVersion})`,
      };
    case "aws:ssm/getParameter:getParameter":
      // One AMI per parameter (e.g. per Kubernetes minor), so a version change shows a new image.
      return { name: args.inputs.name, value: offlineAmiId(String(args.inputs.name)), type: "String" };
    default:
      return undefined;
  }
}

/** A stand-in AMI id for an SSM parameter name: `ami-0` and 16 hex digits derived from the name. */
export function offlineAmiId(parameter: string): string {
  return `ami-0${createHash("sha256").update(parameter).digest("hex").slice(0, 16)}`;
}
