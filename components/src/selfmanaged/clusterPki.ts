/**
 * The PKI of a self-managed cluster, made with `@pulumi/tls` (keys live in the stack's state,
 * encrypted like every secret): the cluster CA, the front-proxy CA, the etcd CA and the
 * service-account key pair that kubeadm expects under /etc/kubernetes/pki (kubeadm docs: PKI
 * certificates and requirements), an administrator's client certificate for the program's own
 * kubeconfig, and a seed from which the bootstrap token and the encryption-at-rest key derive.
 *
 * Private keys leave this module only as secret outputs. Every CA lives ten years, kubeadm's
 * own CA lifetime; kubeadm signs the leaf certificates on the nodes and renews them on upgrade.
 */
import { hkdfSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { tlsSdk } from "../cloudSdks";
import { CLUSTER_ADMINS_GROUP, type ControlPlanePki } from "./kubeadmDocuments";

/** kubeadm's CA lifetime: ten years. */
export const CA_VALIDITY_HOURS = 87600;
/** The program's administrator certificate: one year. */
export const ADMIN_CERT_VALIDITY_HOURS = 8760;
/** A `pulumi up` in its last 30 days replaces it with a new one (the provider's early renewal). */
export const ADMIN_CERT_EARLY_RENEWAL_HOURS = 720;

export interface ClusterPki {
  /** Every CA and key a control-plane node needs (secret). */
  controlPlane: pulumi.Output<ControlPlanePki>;
  /** The cluster CA certificate, PEM (public). */
  caCert: pulumi.Output<string>;
  /** The administrator's client certificate and key, PEM (the key secret). */
  adminCert: pulumi.Output<string>;
  adminKey: pulumi.Output<string>;
  /** The bootstrap token `<id>.<secret>` (secret). */
  bootstrapToken: pulumi.Output<string>;
  /** The encryption-at-rest key, base64 of 32 bytes (secret). */
  encryptionKey: pulumi.Output<string>;
}

const ecdsa = (name: string, parent: pulumi.Resource) =>
  new (tlsSdk().PrivateKey)(name, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });

function ca(name: string, commonName: string, parent: pulumi.Resource) {
  const tls = tlsSdk();
  const key = ecdsa(`${name}-key`, parent);
  const cert = new tls.SelfSignedCert(
    name,
    {
      privateKeyPem: key.privateKeyPem,
      isCaCertificate: true,
      subject: { commonName },
      validityPeriodHours: CA_VALIDITY_HOURS,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"],
    },
    { parent },
  );
  return { key, cert };
}

const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `n` characters of [a-z0-9] from key material (HKDF-SHA256 of the seed, labelled). */
function derivedText(seed: string, label: string, n: number): string {
  const bytes = Buffer.from(hkdfSync("sha256", seed, "kubeplat", label, n));
  return [...bytes].map((b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join("");
}

/**
 * The bootstrap token and the encryption key from a seed key: HKDF-SHA256 with a label each,
 * so they are stable across runs (no diff, no replacement) and change only with the seed.
 * The token's shape is kubeadm's `[a-z0-9]{6}.[a-z0-9]{16}`.
 */
export function derivedSecrets(seed: string): { bootstrapToken: string; encryptionKey: string } {
  return {
    bootstrapToken: `${derivedText(seed, "bootstrap-token-id", 6)}.${derivedText(seed, "bootstrap-token-secret", 16)}`,
    encryptionKey: Buffer.from(hkdfSync("sha256", seed, "kubeplat", "encryption-at-rest", 32)).toString(
      "base64",
    ),
  };
}

/** The cluster's PKI as children of `parent`, named after `name`. */
export function clusterPki(name: string, parent: pulumi.Resource): ClusterPki {
  const tls = tlsSdk();
  const cluster = ca(`${name}-ca`, "kubernetes", parent);
  const frontProxy = ca(`${name}-front-proxy-ca`, "front-proxy-ca", parent);
  const etcd = ca(`${name}-etcd-ca`, "etcd-ca", parent);
  const sa = ecdsa(`${name}-sa`, parent);
  const seed = new tls.PrivateKey(`${name}-seed`, { algorithm: "ED25519" }, { parent });

  const adminKey = ecdsa(`${name}-admin-key`, parent);
  const adminCsr = new tls.CertRequest(
    `${name}-admin-csr`,
    {
      privateKeyPem: adminKey.privateKeyPem,
      // kubeadm binds this group to cluster-admin (kubeadm 1.29 and later).
      subject: { commonName: "kubeplat-admin", organization: CLUSTER_ADMINS_GROUP },
    },
    { parent },
  );
  const admin = new tls.LocallySignedCert(
    `${name}-admin`,
    {
      certRequestPem: adminCsr.certRequestPem,
      caCertPem: cluster.cert.certPem,
      caPrivateKeyPem: cluster.key.privateKeyPem,
      validityPeriodHours: ADMIN_CERT_VALIDITY_HOURS,
      earlyRenewalHours: ADMIN_CERT_EARLY_RENEWAL_HOURS,
      allowedUses: ["client_auth", "digital_signature", "key_encipherment"],
    },
    { parent },
  );

  const controlPlane = pulumi.secret(
    pulumi
      .all([
        cluster.cert.certPem,
        cluster.key.privateKeyPem,
        frontProxy.cert.certPem,
        frontProxy.key.privateKeyPem,
        etcd.cert.certPem,
        etcd.key.privateKeyPem,
        sa.privateKeyPem,
        sa.publicKeyPem,
      ])
      .apply(
        ([caCert, caKey, fpCert, fpKey, etcdCert, etcdKey, saKey, saPub]): ControlPlanePki => ({
          caCert,
          caKey,
          frontProxyCaCert: fpCert,
          frontProxyCaKey: fpKey,
          etcdCaCert: etcdCert,
          etcdCaKey: etcdKey,
          serviceAccountKey: saKey,
          serviceAccountPub: saPub,
        }),
      ),
  );
  const derived = pulumi.secret(seed.privateKeyPem.apply((s) => derivedSecrets(s)));
  return {
    controlPlane,
    caCert: cluster.cert.certPem,
    adminCert: admin.certPem,
    adminKey: pulumi.secret(adminKey.privateKeyPem),
    bootstrapToken: pulumi.secret(derived.apply((d) => d.bootstrapToken)),
    encryptionKey: pulumi.secret(derived.apply((d) => d.encryptionKey)),
  };
}
