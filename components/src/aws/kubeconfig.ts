/**
 * The kubeconfig of an EKS cluster (pure, no Pulumi import): the cluster's endpoint and CA, and
 * an exec credential plugin that runs `aws eks get-token`, the same document
 * `aws eks update-kubeconfig --region <REGION> --name <CLUSTER_NAME>` writes (Alauda Container Platform docs: Network initialization for AWS EKS clusters).
 * It holds no credential itself, yet leaves the program only as a secret output
 * (security/secret-outputs): it names the endpoint and the role used to reach the cluster.
 */
import { stringify } from "yaml";

export interface KubeconfigInput {
  /** The EKS cluster name (`--cluster-name` of `aws eks get-token`). */
  clusterName: string;
  /** The API server URL, `https://...eks.amazonaws.com`. */
  endpoint: string;
  /** Base64 PEM of the cluster CA (EKS `certificateAuthority.data`). */
  certificateAuthorityData: string;
  /** AWS region of the cluster; omitted: the AWS CLI's own default region. */
  region?: string;
  /** IAM role `aws eks get-token` assumes (`--role-arn`); omitted: the caller's identity. */
  roleArn?: string;
  /** AWS CLI profile (`AWS_PROFILE` of the plugin); omitted: the environment's. */
  profile?: string;
  /** Context, cluster and user name in the document; default the cluster name. */
  contextName?: string;
}

/** The kubeconfig object (for callers that want to merge it). */
export function kubeconfigObject(i: KubeconfigInput): Record<string, unknown> {
  const name = i.contextName ?? i.clusterName;
  const args = ["eks", "get-token", "--output", "json", "--cluster-name", i.clusterName];
  if (i.region) args.push("--region", i.region);
  if (i.roleArn) args.push("--role-arn", i.roleArn);
  const exec: Record<string, unknown> = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args,
    interactiveMode: "Never",
  };
  if (i.profile) exec.env = [{ name: "AWS_PROFILE", value: i.profile }];
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name, cluster: { server: i.endpoint, "certificate-authority-data": i.certificateAuthorityData } },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [{ name, user: { exec } }],
  };
}

/** The kubeconfig as a YAML document. */
export function renderKubeconfig(i: KubeconfigInput): string {
  return stringify(kubeconfigObject(i), { lineWidth: 0 });
}
